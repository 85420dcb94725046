import LakegateCore

/// The values the ODCS v3.1 JSON schema enumerates, checked with file:line errors so that a contract Lakegate
/// accepts is one `datacontract lint` accepts too.
extension ContractChecker {
    /// `logicalType` of a property.
    static let propertyLogicalTypes = [
        "string", "date", "timestamp", "time", "number", "integer", "object", "array", "boolean",
    ]
    /// `logicalType` of a schema object.
    static let objectLogicalTypes = ["object", "blob"]
    /// The `logicalTypeOptions` each property `logicalType` allows (the schema forbids any other key).
    static let logicalTypeOptions: [String: [String]] = [
        "string": ["minLength", "maxLength", "pattern", "format"],
        "date": ["format", "exclusiveMaximum", "maximum", "exclusiveMinimum", "minimum"],
        "timestamp": [
            "format", "exclusiveMaximum", "maximum", "exclusiveMinimum", "minimum", "timezone", "defaultTimezone",
        ],
        "time": [
            "format", "exclusiveMaximum", "maximum", "exclusiveMinimum", "minimum", "timezone", "defaultTimezone",
        ],
        "integer": ["multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "format"],
        "number": ["multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "format"],
        "object": ["maxProperties", "minProperties", "required"],
        "array": ["maxItems", "minItems", "uniqueItems"],
        "boolean": [],
    ]
    /// `logicalTypeOptions.format` where the schema enumerates it.
    static let numberFormats: [String: [String]] = [
        "integer": ["i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128"],
        "number": ["f32", "f64"],
    ]
    static let qualityDimensions = [
        "accuracy", "completeness", "conformity", "consistency", "coverage", "timeliness", "uniqueness",
    ]
    static let qualityTypes = ["text", "library", "sql", "custom"]
    static let qualityMetrics = ["nullValues", "missingValues", "invalidValues", "duplicateValues", "rowCount"]
    static let relationshipTypes = ["foreignKey"]
    static let serverTypes = [
        "api", "athena", "azure", "bigquery", "clickhouse", "databricks", "denodo", "dremio", "duckdb", "glue",
        "cloudsql", "db2", "hive", "impala", "informix", "kafka", "kinesis", "local", "mysql", "oracle",
        "postgresql", "postgres", "presto", "pubsub", "redshift", "s3", "sftp", "snowflake", "sqlserver", "synapse",
        "trino", "vertica", "zen", "custom",
    ]

    /// A property's `logicalType` and `logicalTypeOptions`, then its nested `properties` and `items`; whether
    /// the property's own `logicalType` is absent or one the schema enumerates.
    @discardableResult
    static func checkLogicalType(_ reader: YAMLMappingReader, diagnostics: inout DiagnosticCollector) -> Bool {
        let logicalType = reader.oneOf("logicalType", propertyLogicalTypes, diagnostics: &diagnostics)
        let valid = logicalType != nil || reader["logicalType"] == nil
        defer { checkNested(reader, diagnostics: &diagnostics) }
        guard let optionsNode = reader["logicalTypeOptions"] else { return valid }
        guard let logicalType else {
            if reader["logicalType"] == nil {
                diagnostics.add(optionsNode.location, "'logicalTypeOptions' in \(reader.context) needs a logicalType")
            }
            return valid
        }
        guard
            let options = YAMLMappingReader(
                optionsNode, context: "logicalTypeOptions of \(reader.context)", diagnostics: &diagnostics)
        else { return valid }
        let allowed = logicalTypeOptions[logicalType] ?? []
        for pair in options.pairs where !allowed.contains(pair.key) {
            let hint =
                (logicalType == "number" || logicalType == "integer")
                    && (pair.key == "precision" || pair.key == "scale")
                ? "; write a decimal as physicalType: decimal(p,s)"
                : allowed.isEmpty
                    ? "" : "; allowed for \(logicalType): " + allowed.joined(separator: ", ")
            diagnostics.add(
                pair.keyLocation,
                "'\(pair.key)' is not a logicalTypeOptions key of logicalType \(logicalType) in ODCS v3.1\(hint)")
        }
        if let formats = numberFormats[logicalType] {
            _ = options.oneOf("format", formats, diagnostics: &diagnostics)
        }
        return valid
    }

    static func checkNested(_ reader: YAMLMappingReader, diagnostics: inout DiagnosticCollector) {
        for child in reader.sequence("properties", diagnostics: &diagnostics) ?? [] {
            guard let nested = YAMLMappingReader(child, context: "nested property", diagnostics: &diagnostics)
            else { continue }
            checkLogicalType(nested, diagnostics: &diagnostics)
        }
        if let items = reader["items"],
            let nested = YAMLMappingReader(items, context: "items of \(reader.context)", diagnostics: &diagnostics)
        {
            checkLogicalType(nested, diagnostics: &diagnostics)
        }
    }

    /// The enumerated fields of each `quality` rule under `reader`.
    static func checkQuality(_ reader: YAMLMappingReader, diagnostics: inout DiagnosticCollector) {
        for rule in reader.sequence("quality", diagnostics: &diagnostics) ?? [] {
            guard
                let rule = YAMLMappingReader(
                    rule, context: "quality rule of \(reader.context)", diagnostics: &diagnostics)
            else { continue }
            _ = rule.oneOf("dimension", qualityDimensions, diagnostics: &diagnostics)
            _ = rule.oneOf("type", qualityTypes, diagnostics: &diagnostics)
            _ = rule.oneOf("metric", qualityMetrics, diagnostics: &diagnostics)
        }
    }

    /// The `type` of each relationship under `reader`.
    static func checkRelationships(_ reader: YAMLMappingReader, diagnostics: inout DiagnosticCollector) {
        for relationship in reader.sequence("relationships", diagnostics: &diagnostics) ?? [] {
            guard
                let relationship = YAMLMappingReader(
                    relationship, context: "relationship of \(reader.context)", diagnostics: &diagnostics)
            else { continue }
            _ = relationship.oneOf("type", relationshipTypes, diagnostics: &diagnostics)
        }
    }

    /// The `type` of each server.
    static func checkServers(_ root: YAMLMappingReader, diagnostics: inout DiagnosticCollector) {
        for server in root.sequence("servers", diagnostics: &diagnostics) ?? [] {
            guard let server = YAMLMappingReader(server, context: "server", diagnostics: &diagnostics) else {
                continue
            }
            _ = server.oneOf("type", serverTypes, diagnostics: &diagnostics)
        }
    }
}
