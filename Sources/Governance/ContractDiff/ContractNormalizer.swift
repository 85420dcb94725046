import LakegateCore

/// Turns the named lists of an ODCS contract into objects keyed by their natural key, so that two versions
/// compare by name rather than by position (the datacontract-cli 1.2 normalization).
enum ContractNormalizer {
    static func normalize(_ contract: JSONValue) -> JSONValue {
        guard var root = contract.objectValue else { return contract }
        if let schema = root["schema"]?.arrayValue {
            root["schema"] = keyed(schema, by: ["name", "id"], strip: "name") { schemaFields($0, schemaLevel: true) }
        }
        if let sla = root["slaProperties"]?.arrayValue {
            root["slaProperties"] = keyed(sla, by: ["property"], strip: "property") { entry in
                var entry = entry
                normalizeList(&entry, "customProperties", by: ["property"], strip: "property")
                normalizeList(&entry, "authoritativeDefinitions", by: ["url", "id"], strip: nil)
                return entry
            }
        }
        if let servers = root["servers"]?.arrayValue {
            let named = servers.filter { ($0["server"]?.stringValue ?? "").isEmpty == false }
            root["servers"] = keyed(named, by: ["server"], strip: "server") { entry in
                var entry = entry
                normalizeList(&entry, "roles", by: ["role"], strip: "role")
                normalizeList(&entry, "customProperties", by: ["property"], strip: "property")
                return entry
            }
        }
        normalizeList(&root, "support", by: ["channel"], strip: "channel")
        normalizeList(&root, "roles", by: ["role"], strip: "role")
        normalizeList(&root, "customProperties", by: ["property"], strip: "property")
        normalizeList(&root, "authoritativeDefinitions", by: ["url", "id"], strip: nil)
        if var team = root["team"]?.objectValue {
            normalizeList(&team, "members", by: ["username"], strip: "username")
            root["team"] = .object(team)
        }
        if var description = root["description"]?.objectValue {
            normalizeList(&description, "authoritativeDefinitions", by: ["url", "id"], strip: nil)
            normalizeList(&description, "customProperties", by: ["property"], strip: "property")
            root["description"] = .object(description)
        }
        return .object(root)
    }

    /// Fields shared by schema objects and properties: nested properties, quality, custom properties, links.
    private static func schemaFields(_ entry: [String: JSONValue], schemaLevel: Bool) -> [String: JSONValue] {
        var entry = entry
        if let properties = entry["properties"]?.arrayValue {
            entry["properties"] = keyed(properties, by: ["name", "id"], strip: "name") {
                schemaFields($0, schemaLevel: false)
            }
        }
        if let items = entry["items"]?.objectValue {
            entry["items"] = .object(schemaFields(items, schemaLevel: false))
        }
        if let quality = entry["quality"]?.arrayValue {
            entry["quality"] = keyed(quality, by: ["name"], strip: "name") { rule in
                var rule = rule
                normalizeList(&rule, "customProperties", by: ["property"], strip: "property")
                normalizeList(&rule, "authoritativeDefinitions", by: ["url", "id"], strip: nil)
                return rule
            }
        }
        normalizeList(&entry, "customProperties", by: ["property"], strip: "property")
        normalizeList(&entry, "authoritativeDefinitions", by: ["url", "id"], strip: nil)
        if let relationships = entry["relationships"]?.arrayValue {
            var result: [String: JSONValue] = [:]
            for (index, item) in relationships.enumerated() {
                let from = item["from"].map(scalarText) ?? ""
                let to = item["to"].map(scalarText) ?? ""
                var key = "[\(index)]"
                if let id = item["id"], !id.isNull {
                    key = scalarText(id)
                } else if schemaLevel, !(from.isEmpty && to.isEmpty) {
                    key = "\(from):\(to)"
                } else if !schemaLevel, !to.isEmpty {
                    key = to
                }
                result[key] = item
            }
            entry["relationships"] = .object(result)
        }
        return entry
    }

    private static func normalizeList(
        _ object: inout [String: JSONValue], _ field: String, by keys: [String], strip: String?
    ) {
        guard let list = object[field]?.arrayValue else { return }
        object[field] = keyed(list, by: keys, strip: strip) { $0 }
    }

    /// Keys `items` by the first of `keys` each carries (else its position as `[i]`), dropping `strip`.
    private static func keyed(
        _ items: [JSONValue], by keys: [String], strip: String?,
        transform: ([String: JSONValue]) -> [String: JSONValue]
    ) -> JSONValue {
        var result: [String: JSONValue] = [:]
        for (index, item) in items.enumerated() {
            guard var object = item.objectValue else {
                result["[\(index)]"] = item
                continue
            }
            let key = keys.lazy.compactMap { object[$0] }.first { !$0.isNull }.map(scalarText) ?? "[\(index)]"
            if let strip { object[strip] = nil }
            result[key] = .object(transform(object))
        }
        return .object(result)
    }

    /// The text of a scalar as it appears in a path.
    static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "True" : "False"
        case .null: "None"
        default: value.canonicalJSON
        }
    }
}
