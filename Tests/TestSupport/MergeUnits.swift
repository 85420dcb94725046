import LakegateCore

/// The test oracle of three-way plans: normalized fields flattened into the units a three-way merge decides on
/// one by one (docs/plan-apply.md), so that a property test can say, unit by unit, what must survive.
///
/// Units: a table column's `comment`, `nullable`, `mask` (`columns.email.comment`) and each of its tags
/// (`columns.email.tags.pii`); each privilege of each principal (`grants.analysts.SELECT`); each tag and property
/// (`tags.domain`, `properties.quality`); each share object (`objects.c360_dev.crm.customers`); every other field
/// whole; for functions and quality monitors, everything but grants and tags as one `definition` unit.
public enum MergeUnits {
    /// Fields that are never merged (names, types, immutable fields): the oracle leaves them out.
    public static let skipped: Set<String> = [
        "name", "catalog_name", "schema_name", "table_type", "partition_columns", "volume_type", "storage_location",
        "authentication_type", "data_recipient_global_metastore_id", "path", "table_name", "assets_dir",
    ]

    /// `fields` (normalized) of a resource of `kind` as units → values.
    public static func flatten(_ fields: [String: JSONValue], kind: ResourceKind) -> [String: JSONValue] {
        var units: [String: JSONValue] = [:]
        var definition: [String: JSONValue] = [:]
        let whole = kind == .function || kind == .qualityMonitor
        for (field, value) in fields where !skipped.contains(field) {
            switch field {
            case "columns" where kind == .table:
                for column in value.arrayValue ?? [] {
                    guard let name = column["name"]?.stringValue, let members = column.objectValue else { continue }
                    for (member, v) in members where member != "name" && member != "type_text" {
                        if member == "tags", let tags = v.objectValue {
                            for (key, tag) in tags { units["columns.\(name).tags.\(key)"] = tag }
                        } else {
                            units["columns.\(name).\(member)"] = v
                        }
                    }
                }
            case "grants":
                for entry in value.arrayValue ?? [] {
                    guard let principal = entry["principal"]?.stringValue else { continue }
                    for privilege in entry["privileges"]?.arrayValue ?? [] {
                        if let p = privilege.stringValue { units["grants.\(principal).\(p)"] = .bool(true) }
                    }
                }
            case "tags", "properties":
                for (key, v) in value.objectValue ?? [:] { units["\(field).\(key)"] = v }
            case "objects" where kind == .share:
                for object in value.arrayValue ?? [] {
                    if let name = object["name"]?.stringValue { units["objects.\(name)"] = object }
                }
            default:
                if whole { definition[field] = value } else { units[field] = value }
            }
        }
        if whole, !definition.isEmpty { units["definition"] = .object(definition) }
        return units
    }

    /// The column a unit belongs to (`email` for `columns.email.comment`), or nil.
    public static func column(of unit: String) -> String? {
        let parts = unit.split(separator: ".", maxSplits: 2)
        return parts.count == 3 && parts[0] == "columns" ? String(parts[1]) : nil
    }

    /// Column names of normalized table fields.
    public static func columnNames(_ fields: [String: JSONValue]) -> Set<String> {
        Set((fields["columns"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
    }

    /// Every unit whose value after a three-way apply is not what the merge must give: the desired value where it
    /// changed since last applied, the live value before the apply everywhere else. Columns the contract lacks
    /// (retained) and columns created by the apply are left out; for a created column every unit is desired.
    /// Returns `unit: expected, found` lines, empty when the apply kept and changed exactly what it should.
    public static func violations(
        last: [String: JSONValue], desired: [String: JSONValue], before: [String: JSONValue],
        after: [String: JSONValue], kind: ResourceKind
    ) -> [String] {
        let (l, d, v, a) = (
            flatten(last, kind: kind), flatten(desired, kind: kind), flatten(before, kind: kind),
            flatten(after, kind: kind)
        )
        let wanted = columnNames(desired)
        let existed = columnNames(before)
        var problems: [String] = []
        for unit in Set(l.keys).union(d.keys).union(v.keys).union(a.keys).sorted() {
            var expected = d[unit] == l[unit] ? v[unit] : d[unit]
            if let column = column(of: unit) {
                if !wanted.contains(column) { continue }  // retained: left as it is
                if !existed.contains(column) { expected = d[unit] }  // created from the desired column
            }
            if a[unit] != expected {
                problems.append(
                    "\(unit): expected \(expected?.canonicalJSON ?? "(none)"), found \(a[unit]?.canonicalJSON ?? "(none)")"
                        + " (last \(l[unit]?.canonicalJSON ?? "(none)"), desired \(d[unit]?.canonicalJSON ?? "(none)"), "
                        + "live before \(v[unit]?.canonicalJSON ?? "(none)"))")
            }
        }
        return problems
    }
}
