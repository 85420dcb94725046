import Foundation
import LakegateCore

/// Delta Sharing: shares, their recipients' permissions, recipients.
extension DatabricksClient {
    public func listShares() async throws -> [JSONValue] {
        try await paginate("\(Self.uc)/shares", query: [("max_results", "0")], itemsKey: "shares")
    }

    /// The share with its shared objects.
    public func getShare(_ name: String) async throws -> JSONValue {
        try await call("GET", "\(Self.uc)/shares/\(name)", query: [("include_shared_data", "true")])
    }

    public func createShare(_ body: JSONValue) async throws -> CreateOutcome {
        try await create("\(Self.uc)/shares", body: body, readingBack: body["name"]?.stringValue ?? "") { [self] in
            try await self.getShare($0)
        }
    }

    /// `body`: `{new_name, comment, owner, updates: [{action, data_object}]}`.
    @discardableResult
    public func updateShare(_ name: String, _ body: JSONValue) async throws -> JSONValue {
        try await call("PATCH", "\(Self.uc)/shares/\(name)", body: body)
    }

    public func deleteShare(_ name: String) async throws {
        try await call("DELETE", "\(Self.uc)/shares/\(name)")
    }

    /// Recipients granted on the share: `[{principal, privileges}]`, paged.
    public func getSharePermissions(_ name: String) async throws -> [JSONValue] {
        try await paginate(
            "\(Self.uc)/shares/\(name)/permissions", query: [("max_results", "0")], itemsKey: "privilege_assignments")
    }

    @discardableResult
    public func updateSharePermissions(_ name: String, changes: [JSONValue]) async throws -> JSONValue {
        try await call("PATCH", "\(Self.uc)/shares/\(name)/permissions", body: ["changes": .array(changes)])
    }

    public func listRecipients() async throws -> [JSONValue] {
        try await paginate("\(Self.uc)/recipients", query: [("max_results", "0")], itemsKey: "recipients")
    }

    public func getRecipient(_ name: String) async throws -> JSONValue {
        try await call("GET", "\(Self.uc)/recipients/\(name)")
    }

    public func createRecipient(_ body: JSONValue) async throws -> CreateOutcome {
        try await create("\(Self.uc)/recipients", body: body, readingBack: body["name"]?.stringValue ?? "") {
            [self] in try await self.getRecipient($0)
        }
    }

    @discardableResult
    public func updateRecipient(_ name: String, _ body: JSONValue) async throws -> JSONValue {
        try await call("PATCH", "\(Self.uc)/recipients/\(name)", body: body)
    }

    public func deleteRecipient(_ name: String) async throws {
        try await call("DELETE", "\(Self.uc)/recipients/\(name)")
    }
}
