import LakegateCore

/// Structural checks of ODCS v3.1 contracts: known fields, required fields, types, names, type mapping.
///
/// Every field is kept in ``Contract/json``; the checks only catch typos and values Lakegate cannot render.
enum ContractChecker {
    static let fundamentals = [
        "apiVersion", "kind", "id", "name", "version", "status", "domain", "dataProduct", "tenant", "tags",
        "description", "schema", "quality", "slaProperties", "slaDefaultElement", "team", "roles", "support", "price",
        "servers", "customProperties", "authoritativeDefinitions", "contractCreatedTs",
    ]
    static let objectKeys = [
        "name", "physicalName", "logicalType", "physicalType", "businessName", "description", "tags",
        "authoritativeDefinitions", "relationships", "quality", "properties", "dataGranularityDescription",
        "customProperties", "id",
    ]
    static let propertyKeys = [
        "name", "businessName", "description", "logicalType", "logicalTypeOptions", "physicalType", "physicalName",
        "required", "unique", "primaryKey", "primaryKeyPosition", "partitioned", "partitionKeyPosition",
        "classification", "criticalDataElement", "encryptedName", "transformSourceObjects", "transformLogic",
        "transformDescription", "examples", "tags", "authoritativeDefinitions", "customProperties", "items",
        "properties", "quality", "relationships", "id",
    ]
    static let statuses = ["proposed", "draft", "active", "deprecated", "retired"]
    static let physicalTypes = ["table", "view", "topic", "file", "object", "materialized_view"]

    static func check(_ contract: Contract, diagnostics: inout DiagnosticCollector) {
        guard let root = YAMLMappingReader(contract.node, context: "contract", diagnostics: &diagnostics) else {
            return
        }
        root.checkKeys(fundamentals, diagnostics: &diagnostics)
        if let api = root.string("apiVersion", required: true, diagnostics: &diagnostics),
            !api.hasPrefix("v3.")
        {
            diagnostics.add(root["apiVersion"]!.location, "unsupported apiVersion '\(api)': Lakegate reads ODCS v3.x")
        }
        _ = root.oneOf("kind", ["DataContract"], required: true, diagnostics: &diagnostics)
        _ = root.string("id", required: true, diagnostics: &diagnostics)
        _ = root.string("version", required: true, diagnostics: &diagnostics)
        _ = root.oneOf("status", statuses, required: true, diagnostics: &diagnostics)
        _ = root.string("name", diagnostics: &diagnostics)
        _ = root.string("domain", diagnostics: &diagnostics)
        _ = root.stringList("tags", diagnostics: &diagnostics)
        _ = root.sequence("slaProperties", diagnostics: &diagnostics)
        checkServers(root, diagnostics: &diagnostics)
        guard let objects = root.sequence("schema", required: true, diagnostics: &diagnostics) else { return }
        var names: [String: SourceLocation] = [:]
        for object in objects {
            guard let reader = YAMLMappingReader(object, context: "schema object", diagnostics: &diagnostics) else {
                continue
            }
            reader.checkKeys(objectKeys, diagnostics: &diagnostics)
            guard let name = reader.string("name", required: true, diagnostics: &diagnostics) else { continue }
            let context = "schema object '\(name)'"
            let objectReader = YAMLMappingReader(object, context: context, diagnostics: &diagnostics)!
            let physical = objectReader.oneOf("physicalType", physicalTypes, diagnostics: &diagnostics) ?? "table"
            _ = objectReader.oneOf("logicalType", objectLogicalTypes, diagnostics: &diagnostics)
            _ = objectReader.string("businessName", diagnostics: &diagnostics)
            _ = objectReader.string("description", diagnostics: &diagnostics)
            _ = objectReader.stringList("tags", diagnostics: &diagnostics)
            checkQuality(objectReader, diagnostics: &diagnostics)
            checkRelationships(objectReader, diagnostics: &diagnostics)
            guard physical == "table" else { continue }
            if !NameRules.isUnityCatalogName(name) {
                diagnostics.add(reader["name"]!.location, NameRules.invalidUnityCatalogName(name, what: "table"))
            }
            if let earlier = names[name.lowercased()] {
                diagnostics.add(reader["name"]!.location, "table '\(name)' is already defined at line \(earlier.line)")
            }
            names[name.lowercased()] = reader["name"]!.location
            guard let properties = objectReader.sequence("properties", required: true, diagnostics: &diagnostics)
            else { continue }
            if properties.isEmpty {
                diagnostics.add(objectReader["properties"]!.location, "table '\(name)' has no properties (columns)")
            }
            var columns: [String: SourceLocation] = [:]
            for property in properties {
                checkProperty(property, table: name, columns: &columns, diagnostics: &diagnostics)
            }
        }
    }

    static func checkProperty(
        _ property: YAMLNode, table: String, columns: inout [String: SourceLocation],
        diagnostics: inout DiagnosticCollector
    ) {
        guard let reader = YAMLMappingReader(property, context: "property of '\(table)'", diagnostics: &diagnostics)
        else { return }
        reader.checkKeys(propertyKeys, diagnostics: &diagnostics)
        guard let name = reader.string("name", required: true, diagnostics: &diagnostics) else { return }
        let context = "property '\(table).\(name)'"
        let named = YAMLMappingReader(property, context: context, diagnostics: &diagnostics)!
        if !NameRules.isUnityCatalogName(name) {
            diagnostics.add(named["name"]!.location, NameRules.invalidUnityCatalogName(name, what: "column"))
        }
        if let earlier = columns[name.lowercased()] {
            diagnostics.add(
                named["name"]!.location, "column '\(table).\(name)' is already defined at line \(earlier.line)")
        }
        columns[name.lowercased()] = named["name"]!.location
        _ = named.string("businessName", diagnostics: &diagnostics)
        _ = named.string("description", diagnostics: &diagnostics)
        _ = named.string("classification", diagnostics: &diagnostics)
        _ = named.bool("required", diagnostics: &diagnostics)
        _ = named.bool("unique", diagnostics: &diagnostics)
        _ = named.bool("primaryKey", diagnostics: &diagnostics)
        _ = named.bool("partitioned", diagnostics: &diagnostics)
        _ = named.bool("criticalDataElement", diagnostics: &diagnostics)
        _ = named.stringList("tags", diagnostics: &diagnostics)
        checkQuality(named, diagnostics: &diagnostics)
        checkRelationships(named, diagnostics: &diagnostics)
        // An unknown logicalType is reported once, by its enumeration, not again as unmappable.
        guard checkLogicalType(named, diagnostics: &diagnostics) else { return }
        if named.value("physicalType", diagnostics: &diagnostics) == nil,
            named.value("logicalType", diagnostics: &diagnostics) == nil
        {
            diagnostics.add(property.location, "\(context) needs a physicalType or a logicalType")
            return
        }
        if case .failure(let problem) = DatabricksType.forProperty(property) {
            diagnostics.add(problem.location, problem.message)
        }
    }
}
