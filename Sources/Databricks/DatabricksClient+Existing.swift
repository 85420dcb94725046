import Foundation
import LakegateCore

/// Look-ups by natural key for creates whose outcome is unknown (see ``DatabricksClient/create(_:body:method:existing:)``).
extension DatabricksClient {
    /// The object `get` reads, or nil when it answers 404.
    func existing(_ get: @Sendable () async throws -> JSONValue) async throws -> JSONValue? {
        do {
            return try await get()
        } catch let error as DatabricksError where error.kind == .notFound {
            return nil
        }
    }

    /// ``create(_:body:method:existing:)`` of an object that is read back by name: an unknown outcome is decided
    /// by `read(name)` (404: not created).
    func create(
        _ path: String, body: JSONValue, readingBack name: String,
        with read: @escaping @Sendable (String) async throws -> JSONValue
    ) async throws -> CreateOutcome {
        try await create(path, body: body) { [self] in try await self.existing { try await read(name) } }
    }

    /// `catalog.schema.name` from the members of `body` named by `keys`, lower-cased as Unity Catalog stores it.
    static func fullName(_ body: JSONValue, _ keys: String...) -> String {
        keys.map { body[$0]?.stringValue?.lowercased() ?? "" }.joined(separator: ".")
    }

    /// The job named exactly `name` that carries the ownership markers of `tags` (`lakegate.product` and
    /// `lakegate.target`), as `{job_id}`; nil when there is none. Without markers in `tags` nothing matches:
    /// a job is never adopted by its name alone.
    func existingJob(name: String, tags: JSONValue?) async throws -> JSONValue? {
        let product = tags?[OwnershipMarker.productKey]?.stringValue
        let target = tags?[OwnershipMarker.targetKey]?.stringValue
        guard let product, let target else { return nil }
        let matches = try await listJobs(name: name, expandTasks: false).filter { job in
            let settings = job["settings"]
            return settings?["name"]?.stringValue == name
                && settings?["tags"]?[OwnershipMarker.productKey]?.stringValue == product
                && settings?["tags"]?[OwnershipMarker.targetKey]?.stringValue == target
        }
        // The oldest is the one the lost response created; a later duplicate is the plan's to remove.
        guard let job = matches.min(by: { ($0["job_id"]?.intValue ?? 0) < ($1["job_id"]?.intValue ?? 0) }),
            let id = job["job_id"]
        else { return nil }
        return ["job_id": id]
    }

    /// The Genie space titled exactly `title` on `warehouseID`, as `{space_id}`; nil when there is none.
    func existingGenieSpace(title: String, warehouseID: String?) async throws -> JSONValue? {
        let matches = try await listGenieSpaces().filter {
            $0["title"]?.stringValue == title
                && (warehouseID == nil || $0["warehouse_id"]?.stringValue == warehouseID)
        }
        guard matches.count == 1, let id = matches[0]["space_id"] else { return nil }
        return ["space_id": id]
    }
}

extension DatabricksClient {
    /// For a plain `CREATE` statement of a table or function, the look-up of `name` that decides an unknown
    /// outcome; nil for any other statement (`CREATE OR REPLACE`, `ALTER`, …), which is safe to repeat or must fail.
    public func lookupCreated(
        by statement: String, _ kind: ResourceKind, _ name: String
    ) -> (@Sendable () async throws -> JSONValue?)? {
        guard statement.hasPrefix("CREATE "), !statement.hasPrefix("CREATE OR REPLACE") else { return nil }
        switch kind {
        case .table: return { [self] in try await self.existing { try await self.getTable(name) } }
        case .function: return { [self] in try await self.existing { try await self.getFunction(name) } }
        default: return nil
        }
    }
}
