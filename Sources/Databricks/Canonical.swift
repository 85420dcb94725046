import Foundation
import LakegateCore

/// Turns workspace answers into the canonical field shapes of `docs/resource-model.md`, so that a live
/// resource and its rendered desired counterpart compare with `==`.
///
/// Empty maps and lists are left out like absent values. Server-side values (ids, timestamps, owners,
/// `full_name`, managed storage locations, properties the workspace adds) never appear.
public enum Canonical {
    /// Table property prefixes the workspace sets on its own; kept only when the desired state names them.
    static let serverPropertyPrefixes = ["delta.", "spark.", "clusteringColumns", "transient_lastDdlTime", "option."]

    /// `grants` from privilege assignments: sorted by principal, privileges sorted, empty principals left out.
    public static func grants(_ assignments: [JSONValue]) -> JSONValue? {
        var byPrincipal: [String: Set<String>] = [:]
        for assignment in assignments {
            guard let principal = assignment["principal"]?.stringValue else { continue }
            let privileges = (assignment["privileges"]?.arrayValue ?? []).compactMap { value in
                value.stringValue ?? value["privilege"]?.stringValue
            }
            byPrincipal[principal, default: []].formUnion(privileges)
        }
        let list = byPrincipal.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { principal, privileges in
            JSONValue.object([
                "principal": .string(principal), "privileges": .array(privileges.sorted().map { .string($0) }),
            ])
        }
        return list.isEmpty ? nil : .array(list)
    }

    /// A `{k: v}` map, or nil when empty.
    public static func map(_ values: [String: String]) -> JSONValue? {
        values.isEmpty ? nil : .object(values.mapValues { .string($0) })
    }

    /// `properties` without the ones the workspace adds, unless `desired` (the desired properties) names them.
    public static func properties(_ live: JSONValue?, desired: JSONValue?) -> JSONValue? {
        guard let object = live?.objectValue else { return nil }
        let wanted = desired?.objectValue ?? [:]
        var kept: [String: JSONValue] = [:]
        for (key, value) in object {
            let serverSide = serverPropertyPrefixes.contains { key.hasPrefix($0) }
            if serverSide && wanted[key] == nil { continue }
            kept[key] = value.stringValue.map { .string($0) } ?? .string(value.canonicalJSON)
        }
        return kept.isEmpty ? nil : .object(kept)
    }

    /// Sets `key` to `value` when it is present and not empty.
    static func put(_ fields: inout [String: JSONValue], _ key: String, _ value: JSONValue?) {
        guard let value else { return }
        switch value {
        case .null: return
        case .string(let s) where s.isEmpty: return
        case .array(let a) where a.isEmpty: return
        case .object(let o) where o.isEmpty: return
        default: fields[key] = value
        }
    }

    /// A value with `null`, empty strings, empty lists and empty objects removed, recursively.
    public static func pruned(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null: return nil
        case .string(let s): return s.isEmpty ? nil : value
        case .array(let items):
            let kept = items.compactMap(pruned)
            return kept.isEmpty ? nil : .array(kept)
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, member) in members { if let p = pruned(member) { kept[key] = p } }
            return kept.isEmpty ? nil : .object(kept)
        default: return value
        }
    }

    // MARK: Kinds

    /// Canonical catalog fields from `CatalogInfo`; `tags` and `grants` are read separately.
    public static func catalog(_ info: JSONValue, tags: [String: String], grants: JSONValue?) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        put(&fields, "name", info["name"].flatMap(lower))
        put(&fields, "comment", info["comment"])
        put(&fields, "properties", properties(info["properties"], desired: nil))
        put(&fields, "tags", map(tags))
        put(&fields, "grants", grants)
        return fields
    }

    /// Canonical schema fields from `SchemaInfo`: a catalog's fields and the `catalog_name`.
    public static func schema(_ info: JSONValue, tags: [String: String], grants: JSONValue?) -> [String: JSONValue] {
        var fields = catalog(info, tags: tags, grants: grants)
        put(&fields, "catalog_name", info["catalog_name"].flatMap(lower))
        return fields
    }

    /// Canonical table fields from `TableInfo` (with columns), table and column tags, and grants.
    public static func table(
        _ info: JSONValue, tags: [String: String], columnTags: [String: [String: String]], grants: JSONValue?,
        desiredProperties: JSONValue?
    ) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        put(&fields, "name", info["name"].flatMap(lower))
        put(&fields, "catalog_name", info["catalog_name"].flatMap(lower))
        put(&fields, "schema_name", info["schema_name"].flatMap(lower))
        put(&fields, "table_type", info["table_type"])
        put(&fields, "comment", info["comment"])
        put(&fields, "properties", properties(info["properties"], desired: desiredProperties))
        put(&fields, "tags", map(tags))
        var columns: [JSONValue] = []
        var partitions: [(Int64, String)] = []
        let ordered = (info["columns"]?.arrayValue ?? []).enumerated().sorted {
            ($0.element["position"]?.intValue ?? Int64($0.offset))
                < ($1.element["position"]?.intValue ?? Int64($1.offset))
        }
        for (_, column) in ordered {
            guard let name = column["name"]?.stringValue?.lowercased() else { continue }
            var out: [String: JSONValue] = [
                "name": .string(name), "type_text": .string((column["type_text"]?.stringValue ?? "").lowercased()),
                "nullable": .bool(column["nullable"]?.boolValue ?? true),
            ]
            put(&out, "comment", column["comment"])
            put(&out, "tags", map(columnTags[name] ?? [:]))
            if let mask = column["mask"], let function = mask["function_name"]?.stringValue {
                out["mask"] = .object([
                    "function_name": .string(function.lowercased()),
                    "using_column_names": .array(
                        (mask["using_column_names"]?.arrayValue ?? []).compactMap(lower)),
                ])
            }
            if let index = column["partition_index"]?.intValue { partitions.append((index, name)) }
            columns.append(.object(out))
        }
        put(&fields, "columns", .array(columns))
        if let filter = info["row_filter"], let function = filter["function_name"]?.stringValue {
            fields["row_filter"] = .object([
                "function_name": .string(function.lowercased()),
                "input_column_names": .array((filter["input_column_names"]?.arrayValue ?? []).compactMap(lower)),
            ])
        }
        put(&fields, "partition_columns", .array(partitions.sorted { $0.0 < $1.0 }.map { .string($0.1) }))
        put(&fields, "cluster_by", clusterBy(info))
        put(&fields, "grants", grants)
        return fields
    }

    /// Clustering columns: `cluster_by`/`clustering_columns` when the API gives them, else the
    /// `clusteringColumns` property (`[["a"],["b"]]`).
    static func clusterBy(_ info: JSONValue) -> JSONValue? {
        for key in ["cluster_by", "clustering_columns"] {
            if let list = info[key]?.arrayValue {
                return .array(
                    list.compactMap { $0.stringValue ?? $0.arrayValue?.first?.stringValue }.map {
                        .string($0.lowercased())
                    })
            }
        }
        if let text = info["properties"]?["clusteringColumns"]?.stringValue,
            let parsed = try? JSONValue(parsing: text), let list = parsed.arrayValue
        {
            return .array(list.compactMap { ($0.arrayValue?.first ?? $0).stringValue.map { .string($0.lowercased()) } })
        }
        return nil
    }

    public static func volume(_ info: JSONValue, tags: [String: String], grants: JSONValue?) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        put(&fields, "name", info["name"].flatMap(lower))
        put(&fields, "catalog_name", info["catalog_name"].flatMap(lower))
        put(&fields, "schema_name", info["schema_name"].flatMap(lower))
        put(&fields, "volume_type", info["volume_type"])
        if info["volume_type"]?.stringValue == "EXTERNAL" { put(&fields, "storage_location", info["storage_location"]) }
        put(&fields, "comment", info["comment"])
        put(&fields, "tags", map(tags))
        put(&fields, "grants", grants)
        return fields
    }

    /// Canonical function fields: `input_params` as an SQL parameter list (`email STRING, n INT`).
    public static func function(_ info: JSONValue) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        put(&fields, "name", info["name"].flatMap(lower))
        put(&fields, "catalog_name", info["catalog_name"].flatMap(lower))
        put(&fields, "schema_name", info["schema_name"].flatMap(lower))
        let parameters: String
        if let text = info["input_params"]?.stringValue {
            parameters = text
        } else {
            parameters = (info["input_params"]?["parameters"]?.arrayValue ?? []).compactMap { parameter in
                guard let name = parameter["name"]?.stringValue else { return nil }
                let type = parameter["type_text"]?.stringValue ?? parameter["type_name"]?.stringValue ?? ""
                return "\(name.lowercased()) \(type.uppercased())"
            }.joined(separator: ", ")
        }
        put(&fields, "input_params", .string(parameters))
        let dataType = info["full_data_type"]?.stringValue ?? info["data_type"]?.stringValue
        put(&fields, "data_type", dataType.map { .string($0.uppercased()) })
        put(&fields, "routine_definition", info["routine_definition"])
        put(&fields, "comment", info["comment"])
        return fields
    }

    public static func recipient(_ info: JSONValue) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        put(&fields, "name", info["name"].flatMap(lower))
        put(&fields, "authentication_type", info["authentication_type"])
        put(&fields, "data_recipient_global_metastore_id", info["data_recipient_global_metastore_id"])
        put(&fields, "comment", info["comment"])
        return fields
    }

    public static func share(_ info: JSONValue, permissions: [JSONValue]) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        put(&fields, "name", info["name"].flatMap(lower))
        put(&fields, "comment", info["comment"])
        let objects = (info["objects"]?.arrayValue ?? []).compactMap { object -> JSONValue? in
            guard let name = object["name"]?.stringValue else { return nil }
            var out: [String: JSONValue] = ["name": .string(name.lowercased())]
            put(&out, "data_object_type", object["data_object_type"])
            put(&out, "shared_as", object["shared_as"].flatMap(lower))
            return .object(out)
        }.sorted { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
        put(&fields, "objects", .array(objects))
        put(&fields, "grants", grants(permissions))
        return fields
    }

    /// Job `settings` without server defaults and empty values, tasks sorted by `task_key`.
    public static func jobSettings(_ settings: JSONValue) -> JSONValue {
        guard var object = settings.objectValue else { return .object([:]) }
        for key in ["format", "run_as", "deployment", "edit_mode"] { object[key] = nil }
        if object["timeout_seconds"]?.intValue == 0 { object["timeout_seconds"] = nil }
        if let tasks = object["tasks"]?.arrayValue {
            object["tasks"] = .array(
                tasks.sorted {
                    ($0["task_key"]?.stringValue ?? "") < ($1["task_key"]?.stringValue ?? "")
                })
        }
        return pruned(.object(object)) ?? .object([:])
    }

    /// Job permissions: direct entries only, owners left out, sorted by principal then level.
    public static func jobPermissions(_ answer: JSONValue) -> JSONValue? {
        var entries: [(String, String, String)] = []
        for entry in answer["access_control_list"]?.arrayValue ?? [] {
            guard let identity = principal(of: entry) else { continue }
            let (type, principal) = identity
            var levels: [String] = []
            if let all = entry["all_permissions"]?.arrayValue {
                levels = all.filter { $0["inherited"]?.boolValue != true }.compactMap {
                    $0["permission_level"]?.stringValue
                }
            } else if let level = entry["permission_level"]?.stringValue {
                levels = [level]
            }
            for level in levels where level != "IS_OWNER" { entries.append((principal, type, level)) }
        }
        let list = Set(entries.map { "\($0.0)\u{0}\($0.1)\u{0}\($0.2)" }).sorted().map { joined -> JSONValue in
            let parts = joined.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            return .object([
                "principal": .string(parts[0]), "principal_type": .string(parts[1]),
                "permission_level": .string(parts[2]),
            ])
        }
        return list.isEmpty ? nil : .array(list)
    }

    static func principal(of entry: JSONValue) -> (String, String)? {
        for type in ["user_name", "group_name", "service_principal_name"] {
            if let name = entry[type]?.stringValue { return (type, name) }
        }
        return nil
    }

    public static func qualityMonitor(_ info: JSONValue) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        put(&fields, "table_name", info["table_name"].flatMap(lower))
        put(&fields, "output_schema_name", info["output_schema_name"].flatMap(lower))
        put(&fields, "assets_dir", info["assets_dir"])
        if let schedule = info["schedule"] {
            var out: [String: JSONValue] = [:]
            put(&out, "quartz_cron_expression", schedule["quartz_cron_expression"])
            put(&out, "timezone_id", schedule["timezone_id"])
            put(&out, "pause_status", schedule["pause_status"])
            put(&fields, "schedule", .object(out))
        }
        for key in ["snapshot", "time_series", "inference_log"] {
            if let value = info[key] { fields[key] = pruned(value) ?? .object([:]) }
        }
        put(&fields, "warehouse_id", info["warehouse_id"])
        return fields
    }

    public static func genieSpace(_ info: JSONValue) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        put(&fields, "title", info["title"])
        put(&fields, "description", info["description"])
        put(&fields, "warehouse_id", info["warehouse_id"])
        if let text = info["serialized_space"]?.stringValue, let parsed = try? JSONValue(parsing: text) {
            fields["serialized_space"] = parsed
        } else if let object = info["serialized_space"], object.objectValue != nil {
            fields["serialized_space"] = object
        }
        return fields
    }

    static func lower(_ value: JSONValue) -> JSONValue? {
        value.stringValue.map { .string($0.lowercased()) }
    }
}
