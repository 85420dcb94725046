import LakegateCore

extension ReadRun {
    /// Records a failure for every catalog or schema that the desired state builds in but neither creates nor
    /// finds: its objects cannot be created, so planning their creates would only fail halfway through an apply.
    func checkParents(
        _ wanted: [LiveStateReader.Wanted], absentCatalogs: Set<String>, catalogData: [String: CatalogData]
    ) {
        let created = Set(wanted.filter { $0.desired != nil }.map { "\($0.kind.rawValue) \($0.name)" })
        var reported: Set<String> = []
        let children: [ResourceKind] = [.schema, .table, .volume, .function, .qualityMonitor]
        for item in wanted.sorted(by: { $0.key < $1.key }) where item.desired != nil && children.contains(item.kind) {
            let parts = item.name.split(separator: ".").map(String.init)
            guard parts.count >= 2 else { continue }
            let catalog = parts[0]
            if absentCatalogs.contains(catalog) {
                guard !created.contains("\(ResourceKind.catalog.rawValue) \(catalog)"),
                    reported.insert(catalog).inserted
                else { continue }
                failed(
                    "catalog \(catalog), needed by \(item.key)",
                    DatabricksError(
                        kind: .notFound, message: "the catalog does not exist and the product does not create it",
                        method: "GET", path: "/api/2.1/unity-catalog/catalogs/\(catalog)", status: 404))
                continue
            }
            guard item.kind != .schema, parts.count >= 3, let schemas = catalogData[catalog]?.schemas,
                schemas[parts[1]] == nil
            else { continue }
            let schema = "\(catalog).\(parts[1])"
            guard !created.contains("\(ResourceKind.schema.rawValue) \(schema)"), reported.insert(schema).inserted
            else { continue }
            failed(
                "schema \(schema), needed by \(item.key)",
                DatabricksError(
                    kind: .notFound,
                    message: "the schema is not in its catalog's listing and the product does not create it",
                    method: "GET", path: "/api/2.1/unity-catalog/schemas"))
        }
    }
}
