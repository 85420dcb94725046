import LakegateCore

/// The calls that create a resource with everything it carries: the object, then its tags, masks and grants.
enum CreateOperations {
    static func of(_ resource: Resource) -> [PlanOperation] {
        let f = resource.fields
        var ops: [PlanOperation] = []
        switch resource.kind {
        case .catalog, .schema, .volume:
            ops.append(.create(resource))
            let entity = resource.kind.rawValue
            for (key, value) in (f["tags"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                ops.append(
                    .setTag(entityType: entity, entityName: resource.name, key: key, value: value.stringValue ?? ""))
            }
        case .function:
            ops.append(.sql(SQLText.createFunction(resource, orReplace: false)))
        case .table:
            ops.append(.sql(SQLText.createTable(resource)))
            let table = SQLText.qualified(resource.name)
            if let tags = f["tags"]?.objectValue, !tags.isEmpty {
                ops.append(.sql("ALTER TABLE \(table) SET TAGS \(SQLText.pairs(tags))"))
            }
            for column in f["columns"]?.arrayValue ?? [] {
                guard let name = column["name"]?.stringValue else { continue }
                if let tags = column["tags"]?.objectValue, !tags.isEmpty {
                    ops.append(
                        .sql(
                            "ALTER TABLE \(table) ALTER COLUMN \(SQLText.identifier(name)) SET TAGS \(SQLText.pairs(tags))"
                        ))
                }
            }
            for column in f["columns"]?.arrayValue ?? [] {
                if let name = column["name"]?.stringValue, let mask = column["mask"] {
                    ops.append(.sql(SQLText.setMask(table: resource.name, column: name, mask: mask)))
                }
            }
            if let filter = f["row_filter"] {
                ops.append(.sql(SQLText.setRowFilter(table: resource.name, filter: filter)))
            }
        case .share:
            ops.append(.create(resource))
            if let objects = f["objects"]?.arrayValue, !objects.isEmpty {
                ops.append(.updateShareObjects(add: objects, remove: []))
            }
        case .notebook:
            ops.append(
                .importNotebook(
                    path: f["path"]?.stringValue ?? resource.name, language: f["language"]?.stringValue ?? "PYTHON",
                    source: f["source"]?.stringValue ?? ""))
        case .job:
            ops.append(.create(resource))
            if let permissions = f["permissions"]?.arrayValue, !permissions.isEmpty {
                ops.append(.setJobPermissions(permissions))
            }
        case .recipient, .genieSpace, .qualityMonitor:
            ops.append(.create(resource))
        }
        let grants = Normalizer.grantMap(f["grants"])
        if !grants.isEmpty, let securable = ResourceDiff.securableType(resource.kind) {
            let changes = grants.keys.sorted().map { GrantChange(principal: $0, add: Array(grants[$0]!), remove: []) }
            ops.append(.grants(securable: securable, changes: changes))
        }
        return ops
    }
}
