import Foundation
import LakegateCore

extension Renderer {
    static let catalogKeys = ["name", "comment", "properties", "grants"]
    static let schemaKeys = ["name", "catalog_name", "comment", "properties", "grants"]
    static let volumeKeys = [
        "name", "catalog_name", "schema_name", "volume_type", "storage_location", "comment", "grants",
    ]
    static let genieKeys = ["title", "description", "warehouse_id", "serialized_space", "file_path", "parent_path"]
    static let monitorKeys = [
        "table_name", "output_schema_name", "assets_dir", "snapshot", "time_series", "inference_log", "schedule",
        "warehouse_id", "baseline_table_name", "custom_metrics", "slicing_exprs",
    ]

    mutating func renderBundleResource(_ source: BundleResource, node: YAMLNode) {
        let context = "resources.\(source.kind.rawValue).\(source.key)"
        guard let reader = YAMLMappingReader(node, context: context, diagnostics: &diagnostics) else { return }
        switch source.kind {
        case .catalog: renderCatalog(source, reader)
        case .schema: renderSchema(source, reader)
        case .volume: renderVolume(source, reader)
        case .job: renderJob(source, reader)
        case .genieSpace: renderGenieSpace(source, reader)
        case .qualityMonitor: renderQualityMonitor(source, reader)
        default: break
        }
    }

    /// A Unity Catalog name field, lower-cased and checked.
    mutating func ucName(_ reader: YAMLMappingReader, _ key: String, what: String) -> String? {
        guard let name = reader.string(key, required: true, diagnostics: &diagnostics) else { return nil }
        // An unresolved reference has been reported where it is written.
        if name.contains("${") { return nil }
        guard NameRules.isUnityCatalogName(name) else {
            diagnostics.add(reader[key]!.location, NameRules.invalidUnityCatalogName(name, what: what))
            return nil
        }
        return name.lowercased()
    }

    private mutating func properties(_ reader: YAMLMappingReader, withMarkers: Bool) -> JSONValue {
        var result = (reader.stringMap("properties", diagnostics: &diagnostics) ?? [:]).mapValues {
            JSONValue.string($0)
        }
        if withMarkers { result.merge(markers) { _, marker in marker } }
        return .object(result)
    }

    private mutating func renderCatalog(_ source: BundleResource, _ reader: YAMLMappingReader) {
        reader.checkKeys(Self.catalogKeys, diagnostics: &diagnostics)
        let name = ucName(reader, "name", what: "catalog")
        var fields: [String: JSONValue] = [
            "properties": properties(reader, withMarkers: true), "tags": .object(markers),
            "grants": grants(reader["grants"], context: "catalog '\(source.key)'"),
        ]
        if let name { fields["name"] = .string(name) }
        if let comment = reader.string("comment", diagnostics: &diagnostics) { fields["comment"] = .string(comment) }
        guard let name else { return }
        add(Resource(kind: .catalog, key: "catalogs.\(source.key)", name: name, fields: fields), at: source.keyLocation)
    }

    private mutating func renderSchema(_ source: BundleResource, _ reader: YAMLMappingReader) {
        reader.checkKeys(Self.schemaKeys, diagnostics: &diagnostics)
        let name = ucName(reader, "name", what: "schema")
        let catalog = ucName(reader, "catalog_name", what: "catalog")
        var fields: [String: JSONValue] = [
            "properties": properties(reader, withMarkers: true), "tags": .object(markers),
            "grants": grants(reader["grants"], context: "schema '\(source.key)'"),
        ]
        if let comment = reader.string("comment", diagnostics: &diagnostics) { fields["comment"] = .string(comment) }
        guard let name, let catalog else { return }
        fields["name"] = .string(name)
        fields["catalog_name"] = .string(catalog)
        add(
            Resource(kind: .schema, key: "schemas.\(source.key)", name: "\(catalog).\(name)", fields: fields),
            at: source.keyLocation)
    }

    private mutating func renderVolume(_ source: BundleResource, _ reader: YAMLMappingReader) {
        reader.checkKeys(Self.volumeKeys, diagnostics: &diagnostics)
        let name = ucName(reader, "name", what: "volume")
        let catalog = ucName(reader, "catalog_name", what: "catalog")
        let schema = ucName(reader, "schema_name", what: "schema")
        let type = reader.oneOf("volume_type", ["MANAGED", "EXTERNAL"], diagnostics: &diagnostics) ?? "MANAGED"
        var fields: [String: JSONValue] = [
            "volume_type": .string(type), "tags": .object(markers),
            "grants": grants(reader["grants"], context: "volume '\(source.key)'"),
        ]
        if let comment = reader.string("comment", diagnostics: &diagnostics) { fields["comment"] = .string(comment) }
        let location = reader.string("storage_location", diagnostics: &diagnostics)
        if type == "EXTERNAL" {
            if let location {
                fields["storage_location"] = .string(location)
            } else {
                diagnostics.add(reader.node.location, "external volume '\(source.key)' needs a storage_location")
            }
        } else if location != nil {
            diagnostics.add(reader.location(of: "storage_location"), "a MANAGED volume has no storage_location")
        }
        guard let name, let catalog, let schema else { return }
        fields["name"] = .string(name)
        fields["catalog_name"] = .string(catalog)
        fields["schema_name"] = .string(schema)
        add(
            Resource(kind: .volume, key: "volumes.\(source.key)", name: "\(catalog).\(schema).\(name)", fields: fields),
            at: source.keyLocation)
    }

    private mutating func renderGenieSpace(_ source: BundleResource, _ reader: YAMLMappingReader) {
        reader.checkKeys(Self.genieKeys, diagnostics: &diagnostics)
        let title = reader.string("title", required: true, diagnostics: &diagnostics)
        let warehouse = reader.string("warehouse_id", required: true, diagnostics: &diagnostics)
        var fields: [String: JSONValue] = [:]
        if let description = reader.string("description", diagnostics: &diagnostics) {
            fields["description"] = .string(description)
        }
        if let parent = reader.string("parent_path", diagnostics: &diagnostics) {
            fields["parent_path"] = .string(parent)
        }
        var space: JSONValue?
        let inline = reader.value("serialized_space", diagnostics: &diagnostics)
        let file = reader.string("file_path", diagnostics: &diagnostics)
        switch (inline, file) {
        case (let inline?, nil):
            if let text = inline.text, inline.scalar != nil {
                do {
                    space = try JSONValue(parsing: text)
                } catch {
                    diagnostics.add(inline.location, "serialized_space is not valid JSON: \(error)")
                }
            } else if inline.mapping != nil {
                space = inline.jsonValue
            } else {
                diagnostics.add(inline.location, "serialized_space must be a mapping or a JSON string")
            }
        case (nil, let file?):
            let path = Self.productPath(file, relativeTo: source.file)
            let location = reader["file_path"]!.location
            if let path, product.fileSource.exists(path) {
                do {
                    let parsed = try JSONValue(parsing: product.fileSource.read(path))
                    if var interpolator = fileInterpolator {
                        let node = YAMLNode(json: parsed, location: SourceLocation(path: path))
                        space = interpolator.interpolate(node, diagnostics: &diagnostics).jsonValue
                    } else {
                        space = parsed
                    }
                } catch let error as JSONParseError {
                    diagnostics.add(SourceLocation(path: path), "invalid Genie space JSON: \(error.description)")
                } catch {
                    diagnostics.add(location, "cannot read '\(path)': \(error)")
                }
            } else {
                diagnostics.add(location, "Genie space file '\(file)' not found in the product")
            }
        case (_?, _?):
            diagnostics.add(reader.location(of: "file_path"), "give either serialized_space or file_path, not both")
        case (nil, nil):
            diagnostics.add(reader.node.location, "genie space '\(source.key)' needs serialized_space or file_path")
        }
        if let space, space.objectValue == nil {
            diagnostics.add(reader.node.location, "serialized_space of '\(source.key)' must be a JSON object")
        }
        guard let title, let warehouse, let space else { return }
        fields["title"] = .string(title)
        fields["warehouse_id"] = .string(warehouse)
        fields["serialized_space"] = space
        add(
            Resource(kind: .genieSpace, key: "genie_spaces.\(source.key)", name: title, fields: fields),
            at: source.keyLocation)
    }

    private mutating func renderQualityMonitor(_ source: BundleResource, _ reader: YAMLMappingReader) {
        reader.checkKeys(Self.monitorKeys, diagnostics: &diagnostics)
        let table = reader.string("table_name", required: true, diagnostics: &diagnostics)?.lowercased()
        let output = reader.string("output_schema_name", required: true, diagnostics: &diagnostics)?.lowercased()
        let assets = reader.string("assets_dir", required: true, diagnostics: &diagnostics)
        var fields: [String: JSONValue] = [:]
        let profiles = ["snapshot", "time_series", "inference_log"].filter { reader[$0] != nil }
        if profiles.count != 1 {
            diagnostics.add(
                reader.node.location,
                "quality monitor '\(source.key)' needs exactly one of snapshot, time_series, inference_log")
        }
        for profile in profiles {
            let value = reader[profile]!
            fields[profile] = value.scalar?.isNull == true ? .object([:]) : value.jsonValue
        }
        if let schedule = reader.mapping("schedule", diagnostics: &diagnostics) {
            schedule.checkKeys(["quartz_cron_expression", "timezone_id", "pause_status"], diagnostics: &diagnostics)
            fields["schedule"] = scheduleJSON(schedule)
        }
        if let warehouse = reader.string("warehouse_id", diagnostics: &diagnostics) {
            fields["warehouse_id"] = .string(warehouse)
        }
        for key in ["baseline_table_name", "custom_metrics", "slicing_exprs"] {
            if let value = reader[key], !(value.scalar?.isNull ?? false) { fields[key] = value.jsonValue }
        }
        for (key, value) in [("table_name", table), ("output_schema_name", output)] {
            if let value, value.split(separator: ".").count != (key == "table_name" ? 3 : 2) {
                diagnostics.add(
                    reader[key]!.location,
                    "'\(key)' of quality monitor '\(source.key)' must be a full name (\(key == "table_name" ? "catalog.schema.table" : "catalog.schema")), found '\(value)'"
                )
            }
        }
        guard let table, let output, let assets else { return }
        fields["table_name"] = .string(table)
        fields["output_schema_name"] = .string(output)
        fields["assets_dir"] = .string(assets)
        add(
            Resource(kind: .qualityMonitor, key: "quality_monitors.\(source.key)", name: table, fields: fields),
            at: source.keyLocation)
    }

    /// A schedule in canonical form; paused in development mode, as bundles do.
    mutating func scheduleJSON(_ schedule: YAMLMappingReader) -> JSONValue {
        var result: [String: JSONValue] = [:]
        if let cron = schedule.string("quartz_cron_expression", required: true, diagnostics: &diagnostics) {
            result["quartz_cron_expression"] = .string(cron)
        }
        result["timezone_id"] = .string(schedule.string("timezone_id", diagnostics: &diagnostics) ?? "UTC")
        let pause = schedule.oneOf("pause_status", ["PAUSED", "UNPAUSED"], diagnostics: &diagnostics) ?? "UNPAUSED"
        result["pause_status"] = .string(isDevelopment ? "PAUSED" : pause)
        return .object(result)
    }

    /// `path` (relative to the file that names it) as a product-relative path, or nil when it leaves the product.
    static func productPath(_ path: String, relativeTo file: String) -> String? {
        guard !path.hasPrefix("/") else { return nil }
        var parts = file.split(separator: "/").dropLast().map(String.init)
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
