import LakegateCore

/// Puts desired and live fields into one canonical shape so that server-side defaults and derived values
/// never show as differences (`docs/resource-model.md` describes the shape).
public enum Normalizer {
    /// Fields the server derives or owns; they are never compared.
    static let serverFields: Set<String> = [
        "id", "full_name", "owner", "metastore_id", "created_at", "created_by", "updated_at", "updated_by",
        "table_id", "schema_id", "catalog_id", "volume_id", "function_id", "browse_only", "catalog_type",
        "isolation_mode", "securable_type", "securable_kind", "etag", "space_id", "job_id", "creator_user_name",
        "created_time", "create_time", "update_time", "data_source_format", "effective_predictive_optimization_flag",
        "enable_predictive_optimization", "provider_name", "share_name", "storage_root", "specific_name",
        "routine_body", "sql_data_access", "is_deterministic", "security_type", "parameter_style", "full_data_type",
        "external_language", "sql_path", "status", "activation_url", "tokens", "dashboard_id", "monitor_version",
        "profile_metrics_table_name", "drift_metrics_table_name", "pipeline_id", "object_id", "object_type",
        "modified_at", "resource_id", "tokens", "region", "cloud",
    ]

    /// Property keys the workspace adds by itself; ignored unless the desired state sets them.
    static let serverPropertyPrefixes = ["delta.", "spark.", "clusteringColumns", "option.", "external.", "owner"]

    /// Whether a live-only property key was added by the workspace.
    static func isServerProperty(_ key: String) -> Bool {
        serverPropertyPrefixes.contains { key.hasPrefix($0) }
    }

    /// The canonical form of `fields` for a resource of `kind`.
    public static func normalize(_ fields: [String: JSONValue], kind: ResourceKind) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in fields where !serverFields.contains(key) {
            if kind == .table, key == "columns", case .array(let columns) = value {
                let normalized = normalizeColumns(columns)
                if !normalized.isEmpty { result[key] = .array(normalized) }
                continue
            }
            guard let cleaned = clean(value, keepEmptyStrings: key == "tags") else {
                // A monitor's `snapshot: {}` is a choice of profile type, not an empty value.
                if kind == .qualityMonitor, ["snapshot", "time_series", "inference_log"].contains(key),
                    value.objectValue != nil
                {
                    result[key] = .object([:])
                }
                continue
            }
            result[key] = cleaned
        }
        if kind != .volume || result["volume_type"]?.stringValue?.uppercased() != "EXTERNAL" {
            result["storage_location"] = nil
        }
        switch kind {
        case .catalog, .schema, .function, .table, .volume, .share, .recipient:
            for nameField in ["name", "catalog_name", "schema_name"] {
                if let s = result[nameField]?.stringValue { result[nameField] = .string(s.lowercased()) }
            }
        default: break
        }
        if let grants = result["grants"] { result["grants"] = normalizeGrants(grants) }
        if let tags = result["tags"] { result["tags"] = normalizeTags(tags) }
        for upper in ["table_type", "volume_type", "authentication_type", "language"] {
            if let s = result[upper]?.stringValue { result[upper] = .string(s.uppercased()) }
        }
        switch kind {
        case .table:
            if let filter = result["row_filter"] { result["row_filter"] = normalizeFunctionRef(filter) }
            for list in ["partition_columns", "cluster_by"] {
                if let items = result[list]?.arrayValue {
                    result[list] = .array(items.map { .string($0.stringValue?.lowercased() ?? "") })
                }
            }
        case .function:
            if let s = result["data_type"]?.stringValue {
                result["data_type"] = .string(normalizeSQLSpacing(s).uppercased())
            }
            if let s = result["input_params"]?.stringValue { result["input_params"] = .string(normalizeSQLSpacing(s)) }
            if let body = result["routine_definition"]?.stringValue {
                result["routine_definition"] = .string(body.trimmingSpaces())
            }
        case .share:
            if let objects = result["objects"]?.arrayValue {
                let normalized = objects.compactMap { object -> JSONValue? in
                    guard var members = object.objectValue else { return nil }
                    for drop in ["added_at", "added_by", "status", "history_data_sharing_status", "cdf_enabled"] {
                        members[drop] = nil
                    }
                    if let name = members["name"]?.stringValue { members["name"] = .string(name.lowercased()) }
                    if let shared = members["shared_as"]?.stringValue {
                        // The server fills in `schema.table` when none was given: that default is no choice.
                        let name = members["name"]?.stringValue ?? ""
                        let defaultName = name.split(separator: ".").dropFirst().joined(separator: ".")
                        members["shared_as"] = shared.lowercased() == defaultName ? nil : .string(shared.lowercased())
                    }
                    return clean(.object(members))
                }
                result["objects"] = .array(
                    normalized.sorted { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") })
            }
        case .qualityMonitor:
            // The monitor API takes `warehouse_id` on create and update but does not return it.
            result["warehouse_id"] = nil
        case .genieSpace:
            if let text = result["serialized_space"]?.stringValue, let parsed = try? JSONValue(parsing: text) {
                result["serialized_space"] = clean(parsed) ?? .object([:])
            }
            if let space = result["serialized_space"] { result["serialized_space"] = withoutBareColumnConfigs(space) }
        case .job:
            if let settings = result["settings"] { result["settings"] = normalizeJobSettings(settings) }
            if let permissions = result["permissions"]?.arrayValue {
                let kept = permissions.filter { $0["permission_level"]?.stringValue != "IS_OWNER" }
                result["permissions"] = kept.isEmpty ? nil : .array(kept.sorted { $0.canonicalJSON < $1.canonicalJSON })
            }
        default: break
        }
        return result
    }

    /// A Genie space without the column configs that hold nothing but their `column_name` (an empty description
    /// is the same as none): such an entry says nothing, whether it is there or not.
    static func withoutBareColumnConfigs(_ space: JSONValue) -> JSONValue {
        let path: [String] = ["data_sources", "tables"]
        guard case .object(var root) = space, case .object(var sources) = root[path[0]] ?? .null,
            case .array(let tables) = sources[path[1]] ?? .null
        else { return space }
        sources[path[1]] = .array(
            tables.map { table in
                guard case .object(var members) = table, case .array(let configs) = members["column_configs"] ?? .null
                else { return table }
                let kept = configs.filter { config in
                    guard case .object(let keys) = config else { return true }
                    return !(keys.count == 1 && keys["column_name"] != nil)
                }
                members["column_configs"] = kept.isEmpty ? nil : .array(kept)
                return .object(members)
            })
        root[path[0]] = .object(sources)
        return .object(root)
    }

    /// Drops nulls, empty strings, empty objects and empty arrays, recursively: absent and empty mean the same.
    /// Inside a `tags` map an empty string is a tag without a value and is kept.
    static func clean(_ value: JSONValue) -> JSONValue? {
        clean(value, keepEmptyStrings: false)
    }

    static func clean(_ value: JSONValue, keepEmptyStrings: Bool) -> JSONValue? {
        cleaned(value, keepEmptyStrings: keepEmptyStrings).value
    }

    /// The cleaned value and whether it differs from `value`; most values are already clean, and are then
    /// returned as they are without rebuilding their containers.
    private static func cleaned(_ value: JSONValue, keepEmptyStrings: Bool) -> (value: JSONValue?, changed: Bool) {
        // Spelled out: in `c ? (nil, true) : (value, false)` the literal nil is JSONValue's `.null`, not "no value",
        // so empty strings, lists and objects survived as `.null` (a job without permissions never came in sync).
        let none: JSONValue? = .none
        switch value {
        case .null: return (nil, true)
        case .string(let s): return s.isEmpty && !keepEmptyStrings ? (none, true) : (value, false)
        case .array(let items):
            var kept: [JSONValue]?
            for (index, item) in items.enumerated() {
                let (c, changed) = cleaned(item, keepEmptyStrings: false)
                if kept == nil {
                    guard changed else { continue }
                    kept = Array(items[..<index])
                }
                if let c { kept!.append(c) }
            }
            guard let kept else { return items.isEmpty ? (none, true) : (value, false) }
            return (kept.isEmpty ? nil : .array(kept), true)
        case .object(let members):
            var kept: [String: JSONValue]?
            for (key, member) in members {
                let (c, changed) = cleaned(member, keepEmptyStrings: keepEmptyStrings || key == "tags")
                guard changed else { continue }
                if kept == nil { kept = members }
                kept![key] = c
            }
            guard let kept else { return members.isEmpty ? (none, true) : (value, false) }
            return (kept.isEmpty ? nil : .object(kept), true)
        default: return (value, false)
        }
    }

    /// Grants sorted by principal, privileges upper-case with underscores and sorted, empty entries dropped.
    static func normalizeGrants(_ value: JSONValue) -> JSONValue {
        if isCanonicalGrants(value) { return value }
        let map = grantMap(value)
        let entries: [JSONValue] = map.keys.sorted().compactMap { principal in
            guard let privileges = map[principal], !privileges.isEmpty else { return nil }
            return .object([
                "principal": .string(principal), "privileges": .array(privileges.sorted().map { .string($0) }),
            ])
        }
        return .array(entries)
    }

    /// Whether `value` is already sorted by principal with sorted, upper-case, non-empty privilege lists.
    static func isCanonicalGrants(_ value: JSONValue) -> Bool {
        guard let entries = value.arrayValue else { return false }
        var previous: String?
        for entry in entries {
            guard let members = entry.objectValue, members.count == 2,
                let principal = members["principal"]?.stringValue,
                let privileges = members["privileges"]?.arrayValue, !privileges.isEmpty
            else { return false }
            if let previous, previous >= principal { return false }
            previous = principal
            var last: String?
            for privilege in privileges {
                guard let p = privilege.stringValue,
                    p.utf8.allSatisfy({ (0x41...0x5A).contains($0) || $0 == 0x5F }),
                    last.map({ $0 < p }) ?? true
                else { return false }
                last = p
            }
        }
        return true
    }

    /// Principal → privileges, from a `grants` list.
    static func grantMap(_ value: JSONValue?) -> [String: Set<String>] {
        var map: [String: Set<String>] = [:]
        for entry in value?.arrayValue ?? [] {
            guard let principal = entry["principal"]?.stringValue else { continue }
            for privilege in entry["privileges"]?.arrayValue ?? [] {
                guard let p = privilege.stringValue else { continue }
                map[principal, default: []].insert(p.uppercased().replacingSpaces(with: "_"))
            }
        }
        return map
    }

    /// Tags as a `{key: value}` object, a tag without a value as `""` (kept: empty values are meaningful here).
    static func normalizeTags(_ value: JSONValue) -> JSONValue {
        if case .object = value { return value }
        var map: [String: JSONValue] = [:]
        for entry in value.arrayValue ?? [] {
            if let key = entry["tag_key"]?.stringValue ?? entry["key"]?.stringValue {
                map[key] = .string(entry["tag_value"]?.stringValue ?? entry["value"]?.stringValue ?? "")
            }
        }
        return .object(map)
    }

    /// Columns cleaned and normalized; canonical columns (most of them) are kept without a cleaning pass, and
    /// the list itself when all are.
    static func normalizeColumns(_ columns: [JSONValue]) -> [JSONValue] {
        var rebuilt: [JSONValue]?
        for (index, column) in columns.enumerated() {
            if let members = column.objectValue, isCanonicalColumn(members) {
                rebuilt?.append(column)
                continue
            }
            if rebuilt == nil { rebuilt = Array(columns[..<index]) }
            if let cleaned = clean(column) { rebuilt!.append(normalizeColumn(cleaned)) }
        }
        return rebuilt ?? columns
    }

    static func normalizeColumn(_ column: JSONValue) -> JSONValue {
        guard let members = column.objectValue else { return column }
        if isCanonicalColumn(members) { return column }
        // One pass over the members: this runs for every column of every table on both sides.
        var result: [String: JSONValue] = [:]
        result.reserveCapacity(members.count)
        for (key, value) in members {
            switch key {
            case "position", "type_name", "type_json", "partition_index", "type_precision", "type_scale": continue
            case "name": result[key] = value.stringValue.map { .string($0.lowercased()) } ?? value
            case "type_text": result[key] = value.stringValue.map { .string(normalizeType($0)) } ?? value
            case "nullable": if value != .null { result[key] = value }
            case "mask": if let mask = clean(normalizeFunctionRef(value)) { result[key] = mask }
            case "tags": if let tags = clean(normalizeTags(value), keepEmptyStrings: true) { result[key] = tags }
            default: if let cleaned = clean(value) { result[key] = cleaned }
            }
        }
        if result["nullable"] == nil { result["nullable"] = .bool(true) }
        return .object(result)
    }

    /// Whether a column is already in canonical form (as rendered and live-read columns are), so it need not be
    /// rebuilt.
    static func isCanonicalColumn(_ members: [String: JSONValue]) -> Bool {
        var hasNullable = false
        for (key, value) in members {
            switch key {
            case "name", "type_text":
                guard let text = value.stringValue, !text.isEmpty,
                    text.utf8.allSatisfy({ $0 != 0x20 && !(0x41...0x5A).contains($0) }),
                    key == "name" || typeAlias(text) == nil
                else { return false }
            case "nullable":
                guard case .bool = value else { return false }
                hasNullable = true
            case "comment":
                guard let text = value.stringValue, !text.isEmpty else { return false }
            case "tags":
                guard let tags = value.objectValue, !tags.isEmpty, tags.values.allSatisfy({ $0.stringValue != nil })
                else { return false }
            default: return false
            }
        }
        return hasNullable
    }

    /// `function_name` lower-cased, column lists lower-cased; an empty list dropped.
    static func normalizeFunctionRef(_ value: JSONValue) -> JSONValue {
        guard var members = value.objectValue else { return value }
        if let name = members["function_name"]?.stringValue { members["function_name"] = .string(name.lowercased()) }
        for list in ["input_column_names", "using_column_names"] {
            if let items = members[list]?.arrayValue {
                members[list] = .array(items.map { .string($0.stringValue?.lowercased() ?? "") })
            }
        }
        return clean(.object(members)) ?? .null
    }

    /// `DECIMAL(10, 2)` → `decimal(10,2)`, `INT` → `int`, `LONG` → `bigint`.
    static func normalizeType(_ type: String) -> String {
        let plain = type.utf8.allSatisfy { $0 != 0x20 && !(0x41...0x5A).contains($0) }
        let text = plain ? type : type.lowercased().replacingSpaces(with: "")
        return typeAlias(text) ?? text
    }

    /// The canonical name of a type alias (`long` → `bigint`), nil for other types.
    static func typeAlias(_ type: String) -> String? {
        switch type {
        case "long": "bigint"
        case "integer": "int"
        case "short": "smallint"
        case "byte": "tinyint"
        case "real": "float"
        default: nil
        }
    }

    /// Collapses runs of blanks and the blanks around `,()<>` in a SQL type or parameter list.
    static func normalizeSQLSpacing(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for ch in text {
            if ch == " " || ch == "\n" || ch == "\t" {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace, let last = out.last, !",(<".contains(last), !",)>".contains(ch) { out.append(" ") }
            pendingSpace = false
            out.append(ch)
        }
        return out
    }

    /// Job settings without the defaults the Jobs API fills in.
    static func normalizeJobSettings(_ settings: JSONValue) -> JSONValue {
        guard var members = settings.objectValue else { return settings }
        for drop in ["format", "deployment", "edit_mode", "run_as", "creator_user_name"] { members[drop] = nil }
        if members["max_concurrent_runs"] == .int(1) { members["max_concurrent_runs"] = nil }
        // The jobs reader cannot tell a job tag without a value from no tag: compare only tags with values.
        if let tags = members["tags"]?.objectValue {
            members["tags"] = .object(tags.filter { $0.value != .string("") })
        }
        if members["timeout_seconds"] == .int(0) { members["timeout_seconds"] = nil }
        if let tasks = members["tasks"]?.arrayValue {
            let normalized = tasks.map { task -> JSONValue in
                guard var t = task.objectValue else { return task }
                if t["run_if"] == .string("ALL_SUCCESS") { t["run_if"] = nil }
                if t["timeout_seconds"] == .int(0) { t["timeout_seconds"] = nil }
                if var notebook = t["notebook_task"]?.objectValue {
                    if notebook["source"] == .string("WORKSPACE") { notebook["source"] = nil }
                    t["notebook_task"] = .object(notebook)
                }
                return .object(t)
            }
            members["tasks"] = .array(
                normalized.sorted { ($0["task_key"]?.stringValue ?? "") < ($1["task_key"]?.stringValue ?? "") })
        }
        return clean(.object(members)) ?? .object([:])
    }
}

extension String {
    func replacingSpaces(with replacement: String) -> String {
        split(separator: " ", omittingEmptySubsequences: true).joined(separator: replacement)
    }

    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
