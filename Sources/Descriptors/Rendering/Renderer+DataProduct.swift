import LakegateCore

extension Renderer {
    static let dataProductKeys = [
        "id", "name", "domain", "owner", "version", "description", "status", "tags", "support", "outputPorts",
        "access", "regulatory", "businessTerms",
    ]
    static let portKeys = ["name", "description", "contract", "schema", "share"]
    static let shareKeys = ["name", "comment", "recipients"]
    static let recipientKeys = ["name", "authenticationType", "globalMetastoreId", "comment"]
    static let accessKeys = ["grants", "rowFilters", "columnMasks"]
    static let tableGrantKeys = ["principal", "privileges", "tables"]
    static let rowFilterKeys = ["function", "schema", "table", "columns", "parameters", "definition", "comment"]
    static let maskKeys = [
        "function", "schema", "columns", "parameters", "returns", "definition", "comment", "usingColumns",
    ]
    static let regulatoryKeys = ["dora", "gdpr"]
    static let doraKeys = ["criticality", "rtoMinutes", "rpoMinutes", "backupPolicy"]
    static let gdprKeys = [
        "lawfulBasis", "purposes", "retentionDays", "controller", "dataSubjectCategories", "personalDataCategories",
        "specialCategory",
    ]
    static let termKeys = ["term", "definition", "url", "columns"]
    static let criticalities = ["critical", "important", "non-critical"]
    static let lawfulBases = [
        "consent", "contract", "legal-obligation", "vital-interests", "public-task", "legitimate-interests",
    ]

    /// A table rendered from a contract, with what later steps (masks, grants, terms) need.
    struct TableDraft {
        var key: String
        var catalog: String
        var schema: String
        var schemaKey: String
        var name: String
        var fields: [String: JSONValue]
        var columns: [(name: String, json: [String: JSONValue])]
        var location: SourceLocation
        var dependsOn: [String]
        var full: String { "\(catalog).\(schema).\(name)" }
    }

    /// Where a port's tables come from: its contract, placed in a rendered schema.
    typealias TableSource = (contract: Contract, schema: Resource, schemaKey: String)

    mutating func renderDataProduct(_ node: YAMLNode, bundleReferences: Set<String>) {
        guard let dp = YAMLMappingReader(node, context: "dataproduct", diagnostics: &diagnostics) else { return }
        dp.checkKeys(Self.dataProductKeys, diagnostics: &diagnostics)
        for key in ["name", "domain", "owner", "version"] {
            _ = dp.string(key, required: true, diagnostics: &diagnostics)
        }
        _ = dp.string("description", diagnostics: &diagnostics)
        _ = dp.stringList("tags", diagnostics: &diagnostics)
        if let version = dp.string("version", diagnostics: &diagnostics), !Self.isSemanticVersion(version) {
            diagnostics.add(
                dp["version"]!.location, "version '\(version)' is not a semantic version (MAJOR.MINOR.PATCH)")
        }
        if let support = dp.mapping("support", diagnostics: &diagnostics) {
            support.checkKeys(["channel", "url", "email"], diagnostics: &diagnostics)
        }
        checkRegulatory(dp)

        var tables: [String: TableDraft] = [:]
        var usedContracts: [String: SourceLocation] = [:]
        let ports = dp.sequence("outputPorts", required: true, diagnostics: &diagnostics) ?? []
        var portNames: [String: SourceLocation] = [:]
        var shareDrafts: [(port: String, reader: YAMLMappingReader, tables: [String])] = []
        var portSources: [(name: String, tables: TableSource?, share: YAMLMappingReader?)] = []
        for item in ports {
            guard let port = YAMLMappingReader(item, context: "output port", diagnostics: &diagnostics) else {
                continue
            }
            port.checkKeys(Self.portKeys, diagnostics: &diagnostics)
            guard let portName = port.string("name", required: true, diagnostics: &diagnostics) else { continue }
            if let earlier = portNames[portName] {
                diagnostics.add(
                    port["name"]!.location, "output port '\(portName)' is already defined at line \(earlier.line)")
                continue
            }
            portNames[portName] = port["name"]!.location
            let context = "output port '\(portName)'"
            let named = YAMLMappingReader(item, context: context, diagnostics: &diagnostics)!
            _ = named.string("description", diagnostics: &diagnostics)
            let contractRef = named.string("contract", required: true, diagnostics: &diagnostics)
            let schemaKey = named.string("schema", required: true, diagnostics: &diagnostics)
            var contract: Contract?
            if let contractRef {
                contract = product.contract(contractRef)
                if contract == nil, !product.unreadableContracts.isEmpty {
                    portsIncomplete = true
                } else if contract == nil {
                    let known = product.contracts.compactMap(\.id) + product.contracts.map(\.path)
                    diagnostics.add(
                        named["contract"]!.location,
                        "unknown contract '\(contractRef)' in \(context)"
                            + EditDistance.hint(for: contractRef, among: known))
                } else if let earlier = usedContracts[contract!.path] {
                    diagnostics.add(
                        named["contract"]!.location,
                        "contract '\(contractRef)' is already published by the output port at line \(earlier.line)")
                    contract = nil
                } else {
                    usedContracts[contract!.path] = named["contract"]!.location
                }
            }
            var schema: Resource?
            if let schemaKey {
                schema = resources["schemas.\(schemaKey)"]
                if schema == nil, product.bundle.resources[.schema]?[schemaKey] == nil {
                    let known = (product.bundle.resources[.schema] ?? [:]).keys.sorted()
                    diagnostics.add(
                        named["schema"]!.location,
                        "unknown schema '\(schemaKey)' in \(context): name a key of resources.schemas"
                            + EditDistance.hint(for: schemaKey, among: known))
                }
            }
            if contract == nil || schema == nil { portsIncomplete = true }
            var source: TableSource?
            if let contract, let schema, let schemaKey { source = (contract, schema, schemaKey) }
            let share = named.mapping("share", context: "share of \(context)", diagnostics: &diagnostics)
            portSources.append((portName, source, share))
        }
        // Each port's contract becomes its tables independently: build them on every core, merge in port order.
        let markers = self.markers
        let portDrafts = portSources.concurrentMap { port in
            port.tables.map {
                Self.tableDrafts($0.contract, schema: $0.schema, schemaKey: $0.schemaKey, markers: markers)
            }
                ?? []
        }
        for (port, drafts) in zip(portSources, portDrafts) {
            var portTables: [String] = []
            for draft in drafts {
                if let earlier = tables[draft.key] {
                    diagnostics.add(
                        draft.location,
                        "table '\(draft.name)' is already defined at \(earlier.location.path):\(earlier.location.line)"
                    )
                    continue
                }
                tables[draft.key] = draft
                portTables.append(draft.key)
            }
            if let share = port.share { shareDrafts.append((port.name, share, portTables)) }
        }
        for contract in product.contracts where usedContracts[contract.path] == nil {
            diagnostics.add(
                contract.node.pair("id")?.value.location ?? SourceLocation(path: contract.path),
                "contract '\(contract.id ?? contract.path)' is not published by any output port in \(ProductLoader.dataProductFile)"
            )
        }

        if let access = dp.mapping("access", context: "'access'", diagnostics: &diagnostics) {
            access.checkKeys(Self.accessKeys, diagnostics: &diagnostics)
            applyColumnMasks(access, tables: &tables)
            applyRowFilters(access, tables: &tables)
            applyTableGrants(access, tables: &tables)
        }
        applyBusinessTerms(dp, tables: &tables)
        for draft in tables.values.sorted(by: { $0.key < $1.key }) {
            var fields = draft.fields
            fields["columns"] = .array(draft.columns.map { .object($0.json) })
            if fields["grants"] == nil { fields["grants"] = .array([]) }
            add(
                Resource(kind: .table, key: draft.key, name: draft.full, fields: fields, dependsOn: draft.dependsOn),
                at: draft.location)
        }
        for share in shareDrafts {
            renderShare(share.port, share.reader, tables: share.tables.compactMap { tables[$0] })
        }
        linkDependencies()
    }

    static func isSemanticVersion(_ text: String) -> Bool {
        let core = text.split(separator: "-", maxSplits: 1)[0].split(separator: "+", maxSplits: 1)[0]
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    private mutating func checkRegulatory(_ dp: YAMLMappingReader) {
        guard let regulatory = dp.mapping("regulatory", context: "'regulatory'", diagnostics: &diagnostics) else {
            return
        }
        regulatory.checkKeys(Self.regulatoryKeys, diagnostics: &diagnostics)
        if let dora = regulatory.mapping("dora", context: "'regulatory.dora'", diagnostics: &diagnostics) {
            dora.checkKeys(Self.doraKeys, diagnostics: &diagnostics)
            _ = dora.oneOf("criticality", Self.criticalities, required: true, diagnostics: &diagnostics)
            for key in ["rtoMinutes", "rpoMinutes"] {
                if let minutes = dora.int(key, diagnostics: &diagnostics), minutes < 0 {
                    diagnostics.add(dora[key]!.location, "'\(key)' must not be negative")
                }
            }
            _ = dora.string("backupPolicy", diagnostics: &diagnostics)
        }
        if let gdpr = regulatory.mapping("gdpr", context: "'regulatory.gdpr'", diagnostics: &diagnostics) {
            gdpr.checkKeys(Self.gdprKeys, diagnostics: &diagnostics)
            _ = gdpr.oneOf("lawfulBasis", Self.lawfulBases, required: true, diagnostics: &diagnostics)
            _ = gdpr.stringList("purposes", diagnostics: &diagnostics)
            _ = gdpr.stringList("dataSubjectCategories", diagnostics: &diagnostics)
            _ = gdpr.stringList("personalDataCategories", diagnostics: &diagnostics)
            _ = gdpr.string("controller", diagnostics: &diagnostics)
            _ = gdpr.bool("specialCategory", diagnostics: &diagnostics)
            if let days = gdpr.int("retentionDays", diagnostics: &diagnostics), days <= 0 {
                diagnostics.add(gdpr["retentionDays"]!.location, "'retentionDays' must be positive")
            }
        }
    }

    /// Table drafts for every `physicalType: table` object of `contract`, placed in `schema`.
    private static func tableDrafts(
        _ contract: Contract, schema: Resource, schemaKey: String, markers: [String: JSONValue]
    ) -> [TableDraft] {
        guard let catalog = schema.fields["catalog_name"]?.stringValue,
            let schemaName = schema.fields["name"]?.stringValue
        else { return [] }
        var drafts: [TableDraft] = []
        for object in contract.node["schema"]?.sequence ?? [] {
            guard (object["physicalType"]?.text ?? "table").lowercased() == "table", let name = object["name"]?.text,
                NameRules.isUnityCatalogName(name)
            else { continue }
            let tableName = name.lowercased()
            var tags = Self.tagMap(object["tags"])
            if let businessName = object["businessName"]?.text { tags["business_name"] = .string(businessName) }
            tags.merge(markers) { _, marker in marker }
            var fields: [String: JSONValue] = [
                "name": .string(tableName), "catalog_name": .string(catalog), "schema_name": .string(schemaName),
                "table_type": "MANAGED", "tags": .object(tags),
            ]
            if let description = object["description"]?.text { fields["comment"] = .string(description) }
            var columns: [(name: String, json: [String: JSONValue])] = []
            var partitions: [(Int64, String)] = []
            for property in object["properties"]?.sequence ?? [] {
                guard let columnName = property["name"]?.text?.lowercased(),
                    case .success(let type) = DatabricksType.forProperty(property)
                else { continue }
                // Scalar fields only: converting the whole property to JSON was a tenth of a render.
                let json = ScalarFields(property)
                let required = json["required"]?.boolValue ?? false
                let primary = json["primaryKey"]?.boolValue ?? false
                var column: [String: JSONValue] = [
                    "name": .string(columnName), "type_text": .string(type), "nullable": .bool(!(required || primary)),
                ]
                if let description = json["description"]?.stringValue { column["comment"] = .string(description) }
                var columnTags = Self.tagMap(property["tags"])
                if let classification = json["classification"]?.stringValue {
                    columnTags["classification"] = .string(classification)
                }
                if let businessName = json["businessName"]?.stringValue {
                    columnTags["business_name"] = .string(businessName)
                }
                if !columnTags.isEmpty { column["tags"] = .object(columnTags) }
                columns.append((columnName, column))
                if json["partitioned"]?.boolValue == true {
                    partitions.append(
                        (json["partitionKeyPosition"]?.intValue ?? Int64(partitions.count + 1), columnName))
                }
            }
            if !partitions.isEmpty {
                fields["partition_columns"] = .array(partitions.sorted { $0 < $1 }.map { .string($0.1) })
            }
            drafts.append(
                TableDraft(
                    key: "tables.\(tableName)", catalog: catalog, schema: schemaName, schemaKey: schemaKey,
                    name: tableName,
                    fields: fields, columns: columns, location: object["name"]!.location, dependsOn: [schema.key]))
        }
        return drafts
    }

    /// ODCS `tags` (`pii`, `domain:crm`) as a Unity Catalog tag map (`{"pii": "", "domain": "crm"}`).
    static func tagMap(_ node: YAMLNode?) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for item in node?.sequence ?? [] {
            guard let text = item.text else { continue }
            if let colon = text.firstIndex(of: ":") {
                result[String(text[..<colon])] = .string(String(text[text.index(after: colon)...]))
            } else {
                result[text] = ""
            }
        }
        return result
    }
}

/// The scalar fields of a mapping node as JSON, read on demand (a key's first occurrence; keys are unique).
private struct ScalarFields {
    let node: YAMLNode

    init(_ node: YAMLNode) { self.node = node }

    subscript(key: String) -> JSONValue? { node[key]?.jsonValue }
}
