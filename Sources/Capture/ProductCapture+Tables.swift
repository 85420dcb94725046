import Descriptors
import Foundation
import LakegateCore

extension ProductCapture {
    /// Tables: comment, tags and columns into the ODCS schema object; masks, row filters, grants and business terms
    /// into `dataproduct.yaml` (applied after every table, see ``applyAccessChanges()``).
    mutating func captureTable(
        _ resource: Resource, differing: [String], desired: [String: JSONValue], live: [String: JSONValue]
    ) throws {
        let table = resource.key.dropFirst("tables.".count).description
        guard let (contract, index) = schemaObject(named: table) else {
            notCaptured.append("\(resource.key): no contract schema object named '\(table)'")
            return
        }
        let objectPath: [PathStep] = [.key("schema"), .index(index)]
        var object = try document(contract).value(at: objectPath) ?? .object([:])
        for field in differing {
            switch field {
            case "comment":
                object = object.setting([.key("description")], to: live[field])
            case "tags":
                var tags = Self.withoutMarkers(live[field])?.objectValue ?? [:]
                object = object.setting([.key("businessName")], to: tags.removeValue(forKey: "business_name"))
                object = Self.settingTags(object, tags)
            case "columns":
                object = object.setting(
                    [.key("properties")],
                    to: .array(columns(table, object: object, desired: desired[field], live: live[field])))
            case "row_filter":
                let filter = live[field]
                filterChanges.append(
                    (
                        table, shortFunctionName(filter?["function_name"]?.stringValue),
                        filter?["input_column_names"]?.arrayValue ?? []
                    ))
            case "grants":
                tableGrants[table] = Self.grantMap(live[field])
            default:
                notCaptured.append("\(resource.key): '\(field)' differs and capture does not write it")
            }
        }
        try set(contract, objectPath, to: object)
    }

    /// The contract path and schema index of the table object `name`.
    func schemaObject(named name: String) -> (String, Int)? {
        for contract in product.contracts {
            for (index, object) in contract.schemaObjects.enumerated()
            where (object["physicalType"]?.stringValue ?? "table").lowercased() == "table"
                && object["name"]?.stringValue?.lowercased() == name
            {
                return (contract.path, index)
            }
        }
        return nil
    }

    /// The properties of a schema object after capture: in table order, known ones edited where they differ,
    /// new ones added, dropped ones removed.
    mutating func columns(_ table: String, object: JSONValue, desired: JSONValue?, live: JSONValue?) -> [JSONValue] {
        let properties = object["properties"]?.arrayValue ?? []
        var wanted: [String: JSONValue] = [:]
        for column in desired?.arrayValue ?? [] { if let name = column["name"]?.stringValue { wanted[name] = column } }
        return (live?.arrayValue ?? []).compactMap { column -> JSONValue? in
            guard let name = column["name"]?.stringValue else { return nil }
            let existing = properties.first { $0["name"]?.stringValue?.lowercased() == name }
            var property = existing ?? .object(["name": .string(name)])
            let before = wanted[name] ?? .object([:])
            let reference = "\(table).\(name)"
            if column["type_text"] != before["type_text"], let type = column["type_text"]?.stringValue {
                property = property.setting([.key("physicalType")], to: .string(type.uppercased()))
            }
            if column["nullable"] != before["nullable"] {
                let nullable = column["nullable"]?.boolValue ?? true
                property = property.setting([.key("required")], to: nullable ? nil : .bool(true))
                if nullable { property = property.setting([.key("primaryKey")], to: nil) }
            }
            if column["comment"] != before["comment"] {
                property = property.setting([.key("description")], to: column["comment"])
            }
            if column["tags"] != before["tags"] {
                var tags = column["tags"]?.objectValue ?? [:]
                let term = tags.removeValue(forKey: "business_term")?.stringValue
                let oldTerm = before["tags"]?["business_term"]?.stringValue
                if term != oldTerm { termChanges.append((reference, oldTerm, term)) }
                property = property.setting([.key("classification")], to: tags.removeValue(forKey: "classification"))
                property = property.setting([.key("businessName")], to: tags.removeValue(forKey: "business_name"))
                property = Self.settingTags(property, tags)
            }
            if column["mask"] != before["mask"] {
                maskChanges.append((reference, shortFunctionName(column["mask"]?["function_name"]?.stringValue)))
            }
            return property
        }
    }

    /// `object` with its ODCS `tags` list reading as `tags` (`pii`, `k:v`); entries that still hold keep their
    /// place and spelling.
    static func settingTags(_ object: JSONValue, _ tags: [String: JSONValue]) -> JSONValue {
        var remaining = tags
        var list: [JSONValue] = []
        for entry in object["tags"]?.arrayValue ?? [] {
            guard let text = entry.stringValue else { continue }
            let (key, value) =
                text.firstIndex(of: ":").map {
                    (String(text[..<$0]), String(text[text.index(after: $0)...]))
                } ?? (text, "")
            if remaining[key] == .string(value) {
                list.append(entry)
                remaining[key] = nil
            }
        }
        for key in remaining.keys.sorted() {
            let value = remaining[key]?.stringValue ?? ""
            list.append(.string(value.isEmpty ? key : "\(key):\(value)"))
        }
        return object.setting([.key("tags")], to: list.isEmpty ? nil : .array(list))
    }

    /// The function key (`mask_pii_string`) of the product function (or the function built in a product schema)
    /// whose full name is `name`; nil when `name` is nil; `"?<name>"` when no such function has that name.
    func shortFunctionName(_ name: String?) -> String? {
        guard let name = name?.lowercased() else { return nil }
        let function = desired.resources.first { $0.kind == .function && $0.name.lowercased() == name }
        if let function { return String(function.key.dropFirst("functions.".count)) }
        // A function built in the product's schema: declared by ``captureNewFunctions()``.
        let built = live.unclaimedObjects.first {
            $0.kind == .function && $0.name.lowercased() == name && desired.resource(forKey: $0.key) == nil
        }
        return built.map { String($0.key.dropFirst("functions.".count)) } ?? "?\(name)"
    }

    /// Principal → privileges of a canonical grants list.
    static func grantMap(_ value: JSONValue?) -> [String: Set<String>] {
        var map: [String: Set<String>] = [:]
        for entry in value?.arrayValue ?? [] {
            guard let principal = entry["principal"]?.stringValue else { continue }
            map[principal] = Set((entry["privileges"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        return map
    }
}
