import Descriptors
import Foundation
import LakegateCore

extension ProductCapture {
    static let dataProductFile = ProductLoader.dataProductFile

    /// Writes the collected mask, row filter, grant and business term changes into `dataproduct.yaml`.
    mutating func applyAccessChanges() throws {
        guard !maskChanges.isEmpty || !filterChanges.isEmpty || !tableGrants.isEmpty || !termChanges.isEmpty else {
            return
        }
        try applyColumnReferences(
            maskChanges.map { ($0.column, $0.function) }, list: ["access", "columnMasks"], nameKey: "function",
            what: "mask function")
        try applyColumnReferences(
            termChanges.map { ($0.column, $0.new) }, list: ["businessTerms"], nameKey: "term",
            what: "business term (a new term needs a definition)")
        try applyRowFilters()
        try applyGrants()
    }

    /// Moves each `table.column` reference to the `columns` of the entry whose `nameKey` is the given name (out of
    /// every other entry); nil removes it everywhere.
    mutating func applyColumnReferences(
        _ changes: [(column: String, name: String?)], list: [String], nameKey: String, what: String
    ) throws {
        guard !changes.isEmpty else { return }
        var entries = try document(Self.dataProductFile).value(at: list.steps)?.arrayValue ?? []
        for (column, name) in changes {
            if let name, !entries.contains(where: { $0[nameKey]?.stringValue == name }) {
                notCaptured.append(
                    "\(column): \(what) '\(name.trimmingPrefix("?"))' is not declared in dataproduct.yaml")
                continue
            }
            for index in entries.indices {
                var columns = entries[index]["columns"]?.arrayValue ?? []
                let had = columns.contains { $0.stringValue?.lowercased() == column }
                let wants = entries[index][nameKey]?.stringValue == name
                if had && !wants { columns.removeAll { $0.stringValue?.lowercased() == column } }
                if wants && !had { columns.append(.string(column)) }
                if had != wants { entries[index] = entries[index].setting([.key("columns")], to: .array(columns)) }
            }
        }
        try set(Self.dataProductFile, list.steps, to: .array(entries))
    }

    mutating func applyRowFilters() throws {
        guard !filterChanges.isEmpty else { return }
        let path = ["access", "rowFilters"].steps
        var entries = try document(Self.dataProductFile).value(at: path)?.arrayValue ?? []
        for (table, function, columns) in filterChanges {
            let current = entries.firstIndex { $0["table"]?.stringValue?.lowercased() == table }
            guard let function else {
                // Removing the entry would also delete its function and lose its definition: a person decides.
                if current != nil {
                    notCaptured.append(
                        "tables.\(table): the row filter was dropped in the workspace; remove its access.rowFilters "
                            + "entry from dataproduct.yaml to drop it for good (apply sets it again otherwise)")
                }
                continue
            }
            guard let index = entries.firstIndex(where: { $0["function"]?.stringValue == function }) else {
                notCaptured.append(
                    "tables.\(table): row filter function '\(function.trimmingPrefix("?"))' is not declared in dataproduct.yaml"
                )
                continue
            }
            entries[index] = entries[index].setting([.key("table")], to: .string(table))
                .setting([.key("columns")], to: .array(columns))
        }
        try set(Self.dataProductFile, path, to: entries.isEmpty ? nil : .array(entries))
    }

    /// Rewrites the `access.grants` entries of every principal whose table grants changed: one entry without
    /// `tables` when all tables have the same privileges, else one entry per privilege set. Entries that still hold
    /// are kept as written.
    mutating func applyGrants() throws {
        guard !tableGrants.isEmpty else { return }
        let path = ["access", "grants"].steps
        let written = try document(Self.dataProductFile).value(at: path)?.arrayValue ?? []
        let resolved =
            product.interpolate(product.dataProductNode, target: target).jsonValue.value(at: path)?.arrayValue ?? []
        let tables = desired.resources.filter { $0.kind == .table }.map { String($0.key.dropFirst("tables.".count)) }
        func grants(of table: String) -> [String: Set<String>] {
            if let live = tableGrants[table] { return live }
            return Self.grantMap(desired.resource(forKey: "tables.\(table)")?.fields["grants"])
        }
        var changed: Set<String> = []
        for (table, live) in tableGrants {
            let before = Self.grantMap(desired.resource(forKey: "tables.\(table)")?.fields["grants"])
            for principal in Set(live.keys).union(before.keys) where live[principal] != before[principal] {
                changed.insert(principal)
            }
        }
        var result: [JSONValue] = []
        var done: Set<String> = []
        func entries(for principal: String, written principalText: JSONValue) -> [JSONValue] {
            var groups: [Set<String>: [String]] = [:]
            for table in tables.sorted() {
                if let privileges = grants(of: table)[principal], !privileges.isEmpty {
                    groups[privileges, default: []].append(table)
                }
            }
            return groups.sorted { $0.value.first! < $1.value.first! }.map { privileges, covered in
                var entry: [String: JSONValue] = [
                    "principal": principalText, "privileges": .array(privileges.sorted().map { .string($0) }),
                ]
                if covered.count != tables.count { entry["tables"] = .array(covered.map { .string($0) }) }
                // An entry as written that means the same is kept as written.
                let same = written.indices.first { index in
                    resolved.indices.contains(index) && resolved[index]["principal"]?.stringValue == principal
                        && Set(
                            (resolved[index]["privileges"]?.arrayValue ?? []).compactMap {
                                $0.stringValue?.uppercased().replacingOccurrences(of: " ", with: "_")
                            }) == privileges
                        && Set(
                            (resolved[index]["tables"]?.arrayValue ?? tables.map { .string($0) }).compactMap {
                                $0.stringValue?.lowercased()
                            }) == Set(covered)
                }
                return same.map { written[$0] } ?? .object(entry)
            }
        }
        for (index, entry) in written.enumerated() {
            let principal = resolved.indices.contains(index) ? resolved[index]["principal"]?.stringValue : nil
            guard let principal, changed.contains(principal) else {
                result.append(entry)
                continue
            }
            if done.insert(principal).inserted {
                result += entries(for: principal, written: entry["principal"] ?? .string(principal))
            }
        }
        for principal in changed.subtracting(done).sorted() {
            result += entries(for: principal, written: .string(principal))
        }
        try set(Self.dataProductFile, path, to: result.isEmpty ? nil : .array(result))
    }
}
