import LakegateCore

/// The differences between one desired and one live resource, as field changes and the narrowest operations.
struct ResourceDiff {
    let resource: Resource
    let desired: [String: JSONValue]
    let live: [String: JSONValue]
    let liveName: String
    let allowDestroy: Set<String>

    /// Mutable field changes, for display.
    var changes: [FieldChange] = []
    /// The calls that make the mutable changes.
    var operations: [PlanOperation] = []
    /// Changes to fields that cannot change in place.
    var immutable: [FieldChange] = []
    /// Changes that need a person (column type changes).
    var problems: [String] = []
    /// Live columns the contract dropped that may not be dropped.
    var retainedColumns: [String] = []

    init(
        resource: Resource, desired: [String: JSONValue], live: [String: JSONValue], liveName: String,
        allowDestroy: Set<String>
    ) {
        self.resource = resource
        self.desired = desired
        self.live = live
        self.liveName = liveName
        self.allowDestroy = allowDestroy
    }

    /// The `securable_type` of the permissions API for `kind`, or nil when the kind has no UC grants.
    static func securableType(_ kind: ResourceKind) -> String? {
        switch kind {
        case .catalog: "catalog"
        case .schema: "schema"
        case .table: "table"
        case .volume: "volume"
        case .function: "function"
        case .share: "share"
        default: nil
        }
    }

    mutating func compute() {
        let kind = resource.kind
        for field in ImmutableFields.of(kind) {
            if field == "name" {
                let caseInsensitive = ResourceDiff.securableType(kind) != nil || kind == .recipient
                let same =
                    caseInsensitive ? resource.name.lowercased() == liveName.lowercased() : resource.name == liveName
                if !same {
                    immutable.append(
                        FieldChange(field: "name", before: .string(liveName), after: .string(resource.name)))
                }
                continue
            }
            if desired[field] != live[field] {
                immutable.append(FieldChange(field: field, before: live[field], after: desired[field]))
            }
        }
        switch kind {
        case .table:
            diffTable()
        case .function:
            let fields = diffFields(excluding: Self.handledFields(kind))
            if !fields.isEmpty { operations.append(.sql(SQLText.createFunction(normalizedResource, orReplace: true))) }
        case .notebook:
            let fields = diffFields(excluding: Self.handledFields(kind))
            if !fields.isEmpty {
                operations.append(
                    .importNotebook(
                        path: desired["path"]?.stringValue ?? resource.name,
                        language: desired["language"]?.stringValue ?? "PYTHON",
                        source: desired["source"]?.stringValue ?? ""))
            }
        case .job:
            if desired["settings"] != live["settings"] {
                changes += nestedChanges(prefix: "settings", before: live["settings"], after: desired["settings"])
                // Normalized values are for comparing only: the call sends the settings as written.
                operations.append(.resetJob(settings: resource.fields["settings"] ?? .object([:])))
            }
            if desired["permissions"] != live["permissions"] {
                changes.append(
                    FieldChange(field: "permissions", before: live["permissions"], after: desired["permissions"]))
                operations.append(.setJobPermissions(desired["permissions"]?.arrayValue ?? []))
            }
        case .share:
            diffShareObjects()
            patchFields(excluding: Self.handledFields(kind))
        case .qualityMonitor:
            // The monitor update is a PUT of the whole definition.
            if !diffFields(excluding: Self.handledFields(kind)).isEmpty { operations.append(.patch(resource.fields)) }
        default:
            patchFields(excluding: Self.handledFields(kind))
        }
        diffTags()
        diffGrants()
    }

    /// The fields with a diff of their own (grants, tags, immutable and kind-specific fields), left out of the
    /// generic field comparison.
    static func handledFields(_ kind: ResourceKind) -> Set<String> {
        var handled = Set(ImmutableFields.of(kind)).union(["grants", "tags"])
        if kind == .share { handled.insert("objects") }
        return handled
    }

    var normalizedResource: Resource {
        var copy = resource
        copy.fields = desired
        return copy
    }

    /// Changes of the fields not in `excluding`, recorded; returns the desired values of those that differ.
    mutating func diffFields(excluding: Set<String>) -> [String: JSONValue] {
        var changed: [String: JSONValue] = [:]
        for field in Set(desired.keys).union(live.keys).subtracting(excluding).sorted()
        where desired[field] != live[field] {
            changes.append(FieldChange(field: field, before: live[field], after: desired[field]))
            changed[field] = desired[field] ?? Self.emptyValue(like: live[field])
        }
        return changed
    }

    /// One `PATCH` with the changed fields.
    mutating func patchFields(excluding: Set<String>) {
        let changed = diffFields(excluding: excluding)
        if !changed.isEmpty { operations.append(.patch(changed)) }
    }

    static func emptyValue(like value: JSONValue?) -> JSONValue {
        switch value {
        case .object: .object([:])
        case .array: .array([])
        default: .string("")
        }
    }

    /// Field changes one level down, for objects; the whole value otherwise.
    func nestedChanges(prefix: String, before: JSONValue?, after: JSONValue?) -> [FieldChange] {
        guard let b = before?.objectValue, let a = after?.objectValue else {
            return [FieldChange(field: prefix, before: before, after: after)]
        }
        return Set(a.keys).union(b.keys).sorted().compactMap { key in
            a[key] == b[key] ? nil : FieldChange(field: "\(prefix).\(key)", before: b[key], after: a[key])
        }
    }

    mutating func diffTags() {
        let wanted = desired["tags"]?.objectValue ?? [:]
        let have = live["tags"]?.objectValue ?? [:]
        guard wanted != have else { return }
        let set = wanted.filter { have[$0.key] != $0.value }
        let unset = have.keys.filter { wanted[$0] == nil }.sorted()
        for key in set.keys.sorted() {
            changes.append(FieldChange(field: "tags.\(key)", before: have[key], after: set[key]))
        }
        for key in unset { changes.append(FieldChange(field: "tags.\(key)", before: have[key], after: nil)) }
        switch resource.kind {
        case .table:
            let table = SQLText.qualified(resource.name)
            if !set.isEmpty { operations.append(.sql("ALTER TABLE \(table) SET TAGS \(SQLText.pairs(set))")) }
            if !unset.isEmpty { operations.append(.sql("ALTER TABLE \(table) UNSET TAGS \(SQLText.keyList(unset))")) }
        case .job:
            break  // job tags live in the settings and are reset with them
        default:
            let entity = resource.kind.rawValue
            for key in set.keys.sorted() {
                operations.append(
                    .setTag(entityType: entity, entityName: resource.name, key: key, value: set[key]?.stringValue ?? "")
                )
            }
            for key in unset { operations.append(.unsetTag(entityType: entity, entityName: resource.name, key: key)) }
        }
    }

    mutating func diffGrants() {
        // Normalized grants are canonical: equal values mean equal grants.
        if desired["grants"] == live["grants"] { return }
        let wanted = Normalizer.grantMap(desired["grants"])
        let have = Normalizer.grantMap(live["grants"])
        guard wanted != have, let securable = Self.securableType(resource.kind) else { return }
        var grantChanges: [GrantChange] = []
        for principal in Set(wanted.keys).union(have.keys).sorted() {
            let w = wanted[principal] ?? []
            let h = have[principal] ?? []
            guard w != h else { continue }
            grantChanges.append(
                GrantChange(principal: principal, add: Array(w.subtracting(h)), remove: Array(h.subtracting(w))))
            changes.append(
                FieldChange(
                    field: "grants.\(principal)", before: h.isEmpty ? nil : .array(h.sorted().map { .string($0) }),
                    after: w.isEmpty ? nil : .array(w.sorted().map { .string($0) })))
        }
        operations.append(.grants(securable: securable, changes: grantChanges))
    }

    mutating func diffShareObjects() {
        func byName(_ value: JSONValue?) -> [String: JSONValue] {
            var map: [String: JSONValue] = [:]
            for object in value?.arrayValue ?? [] { if let name = object["name"]?.stringValue { map[name] = object } }
            return map
        }
        let wanted = byName(desired["objects"])
        let have = byName(live["objects"])
        var add: [JSONValue] = []
        var remove: [JSONValue] = []
        for name in Set(wanted.keys).union(have.keys).sorted() where wanted[name] != have[name] {
            changes.append(FieldChange(field: "objects.\(name)", before: have[name], after: wanted[name]))
            // shared_as cannot change in place: the object is removed and added again.
            if let old = have[name] { remove.append(.object(["name": old["name"] ?? .string(name)])) }
            if let new = wanted[name] { add.append(new) }
        }
        if !add.isEmpty || !remove.isEmpty { operations.append(.updateShareObjects(add: add, remove: remove)) }
    }
}
