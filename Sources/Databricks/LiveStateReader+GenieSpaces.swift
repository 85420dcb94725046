import Foundation
import LakegateCore

extension LiveStateReader {
    /// The Genie spaces of the workspace that are none of `known` (space ids the snapshot already holds) and that
    /// name at least one table in `scopes` (catalog names, or `catalog.schema`): candidates for capture, keyed by their space id (the product gives
    /// them a key when it captures them). Lists every space once and reads each candidate's `serialized_space`.
    ///
    /// - Returns: the spaces found, and the reads that failed (what they would have shown is not captured).
    public func unclaimedGenieSpaces(scopes: Set<String>, known: Set<String>) async
        -> (spaces: [LiveResource], failures: [String])
    {
        let prefixes = scopes.map { $0.lowercased() + "." }
        let list: [JSONValue]
        do {
            list = try await client.listGenieSpaces()
        } catch {
            return ([], ["list Genie spaces: \(error)"])
        }
        var spaces: [LiveResource] = []
        var failures: [String] = []
        for item in list {
            guard let id = item["space_id"]?.stringValue, !known.contains(id) else { continue }
            do {
                let info = try await client.getGenieSpace(id)
                let fields = Canonical.genieSpace(info)
                let tables = (fields["serialized_space"]?["data_sources"]?["tables"]?.arrayValue ?? []).compactMap {
                    $0["identifier"]?.stringValue?.lowercased()
                }
                guard tables.contains(where: { table in prefixes.contains { table.hasPrefix($0) } }) else { continue }
                spaces.append(
                    LiveResource(
                        kind: .genieSpace, key: id, name: info["title"]?.stringValue ?? id, id: id, fields: fields,
                        ownedMarker: false, etag: info["etag"]?.stringValue))
            } catch let error as DatabricksError where error.kind == .notFound {
                continue  // trashed between the listing and the read
            } catch {
                failures.append("read Genie space \(id): \(error)")
            }
        }
        return (spaces.sorted { ($0.name, $0.id) < ($1.name, $1.id) }, failures)
    }
}
