import LakegateCore

/// The three-way merge of normalized fields (kubectl's last-applied merge): the desired value of every field
/// whose desired value changed since Lakegate last applied it, the live value of every other field. Planning
/// the merged fields against live then changes only what the new revision changed, and leaves live changes to
/// the rest alone.
///
/// The merge reaches inside collections: table columns by name (comment, nullable, tags by key, mask), grants
/// by principal and privilege, tags and properties by key, share objects by name. Creates, renames and type
/// changes are left to the two-way rules: immutable fields and column types always take the desired value, a
/// column missing live is created, a live column the contract lacks stays out of the merge (it is retained).
/// Kinds written as one definition (functions, quality monitors) and fields written whole (a job's settings and
/// permissions, a Genie space's `serialized_space`) merge as one value: if any part changed, all of it is written.
public enum ThreeWayMerge {
    /// The merged fields of one resource of `kind`, from what was last applied, what is desired and what is live.
    public static func merge(
        last: [String: JSONValue], desired: [String: JSONValue], live: [String: JSONValue], kind: ResourceKind
    ) -> [String: JSONValue] {
        let immutable = Set(ImmutableFields.of(kind))
        if wholeDefinition(kind) {
            // One statement or PUT writes every field but grants and tags: merge those, the rest as one value.
            let parts: Set<String> = ["grants", "tags"]
            let rest = { (fields: [String: JSONValue]) in fields.filter { !parts.contains($0.key) } }
            var result = rest(desired) == rest(last) ? rest(live) : rest(desired)
            for field in immutable { result[field] = desired[field] }
            for field in parts { result[field] = mergeField(field, last[field], desired[field], live[field], kind) }
            return result
        }
        var result: [String: JSONValue] = [:]
        for field in Set(last.keys).union(desired.keys).union(live.keys) {
            if immutable.contains(field) {
                result[field] = desired[field]
            } else {
                result[field] = mergeField(field, last[field], desired[field], live[field], kind)
            }
        }
        return result
    }

    /// Whether `kind` is written as one definition (`CREATE OR REPLACE FUNCTION`, the monitor's `PUT`).
    static func wholeDefinition(_ kind: ResourceKind) -> Bool {
        kind == .function || kind == .qualityMonitor
    }

    static func mergeField(
        _ field: String, _ last: JSONValue?, _ desired: JSONValue?, _ live: JSONValue?, _ kind: ResourceKind
    ) -> JSONValue? {
        switch field {
        case "columns" where kind == .table: mergeColumns(last, desired, live)
        case "grants": mergeGrants(last, desired, live)
        case "tags", "properties": mergeMap(last?.objectValue, desired?.objectValue, live?.objectValue)
        case "objects" where kind == .share: mergeShareObjects(last, desired, live)
        default: leaf(last, desired, live)
        }
    }

    /// One value: the desired one when it changed since last applied, else the live one (absent counts as a value).
    static func leaf(_ last: JSONValue?, _ desired: JSONValue?, _ live: JSONValue?) -> JSONValue? {
        desired == last ? live : desired
    }

    /// A `{key: value}` map merged key by key; nil when nothing is left.
    static func mergeMap(
        _ last: [String: JSONValue]?, _ desired: [String: JSONValue]?, _ live: [String: JSONValue]?
    ) -> JSONValue? {
        let (l, d, v) = (last ?? [:], desired ?? [:], live ?? [:])
        var result: [String: JSONValue] = [:]
        for key in Set(l.keys).union(d.keys).union(v.keys) {
            if let value = leaf(l[key], d[key], v[key]) { result[key] = value }
        }
        return result.isEmpty ? nil : .object(result)
    }

    /// Grants merged per principal and privilege, in the canonical form.
    static func mergeGrants(_ last: JSONValue?, _ desired: JSONValue?, _ live: JSONValue?) -> JSONValue? {
        let (l, d, v) = (Normalizer.grantMap(last), Normalizer.grantMap(desired), Normalizer.grantMap(live))
        var entries: [JSONValue] = []
        for principal in Set(l.keys).union(d.keys).union(v.keys).sorted() {
            let (lp, dp, vp) = (l[principal] ?? [], d[principal] ?? [], v[principal] ?? [])
            let kept = lp.union(dp).union(vp).filter { privilege in
                let has = { (set: Set<String>) in set.contains(privilege) }
                return has(dp) == has(lp) ? has(vp) : has(dp)
            }
            guard !kept.isEmpty else { continue }
            entries.append(
                .object(["principal": .string(principal), "privileges": .array(kept.sorted().map { .string($0) })]))
        }
        return entries.isEmpty ? nil : .array(entries)
    }

    /// The desired columns, in their order, each merged with its live column of the same name: the type always
    /// as desired, comment, nullable and mask as values, tags by key. A column not live is the desired one.
    static func mergeColumns(_ last: JSONValue?, _ desired: JSONValue?, _ live: JSONValue?) -> JSONValue? {
        guard let wanted = desired?.arrayValue else { return desired }
        let byName = { (value: JSONValue?) -> [String: [String: JSONValue]] in
            var map: [String: [String: JSONValue]] = [:]
            for column in value?.arrayValue ?? [] {
                if let name = column["name"]?.stringValue, let members = column.objectValue { map[name] = members }
            }
            return map
        }
        let (l, v) = (byName(last), byName(live))
        let columns: [JSONValue] = wanted.map { column in
            guard let name = column["name"]?.stringValue, let d = column.objectValue, let have = v[name] else {
                return column
            }
            let was = l[name] ?? [:]
            var merged: [String: JSONValue] = [:]
            for member in Set(was.keys).union(d.keys).union(have.keys) {
                switch member {
                case "name", "type_text": merged[member] = d[member]
                case "tags":
                    merged[member] = mergeMap(
                        was[member]?.objectValue, d[member]?.objectValue, have[member]?.objectValue)
                default: merged[member] = leaf(was[member], d[member], have[member])
                }
            }
            return .object(merged)
        }
        return .array(columns)
    }

    /// Share objects merged by name, each object as one value.
    static func mergeShareObjects(_ last: JSONValue?, _ desired: JSONValue?, _ live: JSONValue?) -> JSONValue? {
        let byName = { (value: JSONValue?) -> [String: JSONValue] in
            var map: [String: JSONValue] = [:]
            for object in value?.arrayValue ?? [] { if let name = object["name"]?.stringValue { map[name] = object } }
            return map
        }
        let (l, d, v) = (byName(last), byName(desired), byName(live))
        let objects = Set(l.keys).union(d.keys).union(v.keys).sorted().compactMap { leaf(l[$0], d[$0], v[$0]) }
        return objects.isEmpty ? nil : .array(objects)
    }
}
