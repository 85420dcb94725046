import Foundation
import LakegateCore

extension Renderer {
    /// Finds `table.column` among the drafts; reports unknown tables and columns at `location`.
    private mutating func column(
        _ reference: String, in tables: [String: TableDraft], at location: SourceLocation
    ) -> (table: String, index: Int)? {
        let parts = reference.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            diagnostics.add(location, "column reference '\(reference)' must be written table.column")
            return nil
        }
        guard let table = tables["tables.\(parts[0])"] else {
            if portsIncomplete { return nil }
            diagnostics.add(
                location,
                "unknown table '\(parts[0])' in '\(reference)'"
                    + EditDistance.hint(for: parts[0], among: tables.values.map(\.name)))
            return nil
        }
        guard let index = table.columns.firstIndex(where: { $0.name == parts[1] }) else {
            diagnostics.add(
                location,
                "unknown column '\(parts[1])' of table '\(table.name)' in '\(reference)'"
                    + EditDistance.hint(for: parts[1], among: table.columns.map(\.name)))
            return nil
        }
        return (table.key, index)
    }

    /// Renders a SQL function used by a mask or row filter; returns its key and full name.
    private mutating func function(
        _ reader: YAMLMappingReader, returns: String?, what: String
    ) -> (key: String, full: String)? {
        let name = ucName(reader, "function", what: "function")
        let schemaKey = reader.string("schema", required: true, diagnostics: &diagnostics)
        let parameters = reader.string("parameters", required: true, diagnostics: &diagnostics)
        let definition = reader.string("definition", required: true, diagnostics: &diagnostics)
        let comment = reader.string("comment", diagnostics: &diagnostics)
        guard let name, let schemaKey else { return nil }
        guard let schema = resources["schemas.\(schemaKey)"] else {
            if product.bundle.resources[.schema]?[schemaKey] == nil {
                diagnostics.add(
                    reader["schema"]!.location,
                    "unknown schema '\(schemaKey)' for \(what) '\(name)': name a key of resources.schemas"
                        + EditDistance.hint(for: schemaKey, among: (product.bundle.resources[.schema] ?? [:]).keys))
            }
            return nil
        }
        guard let parameters, let definition, let returns,
            let catalog = schema.fields["catalog_name"]?.stringValue,
            let schemaName = schema.fields["name"]?.stringValue
        else { return nil }
        let key = "functions.\(name)"
        let full = "\(catalog).\(schemaName).\(name)"
        if resources[key] == nil {
            var fields: [String: JSONValue] = [
                "name": .string(name), "catalog_name": .string(catalog), "schema_name": .string(schemaName),
                "input_params": .string(parameters), "data_type": .string(returns.uppercased()),
                "routine_definition": .string(definition),
            ]
            if let comment { fields["comment"] = .string(comment) }
            add(
                Resource(kind: .function, key: key, name: full, fields: fields, dependsOn: [schema.key]),
                at: reader.location(of: "function"))
        } else {
            diagnostics.add(reader["function"]!.location, "function '\(name)' is already defined")
            return nil
        }
        return (key, full)
    }

    mutating func applyColumnMasks(_ access: YAMLMappingReader, tables: inout [String: TableDraft]) {
        for item in access.sequence("columnMasks", diagnostics: &diagnostics) ?? [] {
            guard let mask = YAMLMappingReader(item, context: "column mask", diagnostics: &diagnostics) else {
                continue
            }
            mask.checkKeys(Self.maskKeys, diagnostics: &diagnostics)
            let returns = mask.string("returns", required: true, diagnostics: &diagnostics)
            let columns = mask.stringList("columns", required: true, diagnostics: &diagnostics) ?? []
            let using = mask.stringList("usingColumns", diagnostics: &diagnostics) ?? []
            guard let function = function(mask, returns: returns, what: "column mask") else { continue }
            for (index, reference) in columns.enumerated() {
                let location = mask["columns"]?.sequence?[index].location ?? item.location
                guard let target = column(reference, in: tables, at: location) else { continue }
                var json = tables[target.table]!.columns[target.index].json
                if json["mask"] != nil {
                    diagnostics.add(location, "column '\(reference)' already has a mask")
                    continue
                }
                json["mask"] = [
                    "function_name": .string(function.full),
                    "using_column_names": .array(using.map { .string($0.lowercased()) }),
                ]
                tables[target.table]!.columns[target.index].json = json
                tables[target.table]!.dependsOn.append(function.key)
            }
        }
    }

    mutating func applyRowFilters(_ access: YAMLMappingReader, tables: inout [String: TableDraft]) {
        for item in access.sequence("rowFilters", diagnostics: &diagnostics) ?? [] {
            guard let filter = YAMLMappingReader(item, context: "row filter", diagnostics: &diagnostics) else {
                continue
            }
            filter.checkKeys(Self.rowFilterKeys, diagnostics: &diagnostics)
            let tableName = filter.string("table", required: true, diagnostics: &diagnostics)?.lowercased()
            let columns = filter.stringList("columns", required: true, diagnostics: &diagnostics) ?? []
            guard let function = function(filter, returns: "BOOLEAN", what: "row filter"), let tableName else {
                continue
            }
            guard tables["tables.\(tableName)"] != nil else {
                if portsIncomplete { continue }
                diagnostics.add(
                    filter["table"]!.location,
                    "unknown table '\(tableName)' in row filter"
                        + EditDistance.hint(for: tableName, among: tables.values.map(\.name)))
                continue
            }
            for (index, name) in columns.enumerated() {
                let location = filter["columns"]?.sequence?[index].location ?? item.location
                _ = column("\(tableName).\(name)", in: tables, at: location)
            }
            if tables["tables.\(tableName)"]!.fields["row_filter"] != nil {
                diagnostics.add(filter["table"]!.location, "table '\(tableName)' already has a row filter")
                continue
            }
            tables["tables.\(tableName)"]!.fields["row_filter"] = [
                "function_name": .string(function.full),
                "input_column_names": .array(columns.map { .string($0.lowercased()) }),
            ]
            tables["tables.\(tableName)"]!.dependsOn.append(function.key)
        }
    }

    mutating func applyTableGrants(_ access: YAMLMappingReader, tables: inout [String: TableDraft]) {
        var byTable: [String: [String: Set<String>]] = [:]
        for item in access.sequence("grants", diagnostics: &diagnostics) ?? [] {
            guard let grant = YAMLMappingReader(item, context: "access grant", diagnostics: &diagnostics) else {
                continue
            }
            grant.checkKeys(Self.tableGrantKeys, diagnostics: &diagnostics)
            guard let principal = grant.string("principal", required: true, diagnostics: &diagnostics) else { continue }
            var privileges: Set<String> = []
            for (index, privilege) in (grant.stringList("privileges", required: true, diagnostics: &diagnostics) ?? [])
                .enumerated()
            {
                let normalized = privilege.uppercased().replacingOccurrences(of: " ", with: "_")
                guard Self.privileges.contains(normalized) else {
                    diagnostics.add(
                        grant["privileges"]?.sequence?[index].location ?? item.location,
                        "unknown privilege '\(privilege)' for '\(principal)'"
                            + EditDistance.hint(for: normalized, among: Self.privileges))
                    continue
                }
                privileges.insert(normalized)
            }
            var targets = tables.keys.sorted()
            if let names = grant.stringList("tables", diagnostics: &diagnostics) {
                targets = []
                for (index, name) in names.enumerated() {
                    let key = "tables.\(name.lowercased())"
                    if tables[key] == nil {
                        if portsIncomplete { continue }
                        diagnostics.add(
                            grant["tables"]?.sequence?[index].location ?? item.location,
                            "unknown table '\(name)' in access grant"
                                + EditDistance.hint(for: name, among: tables.values.map(\.name)))
                    } else {
                        targets.append(key)
                    }
                }
            }
            for key in targets { byTable[key, default: [:]][principal, default: []].formUnion(privileges) }
        }
        for (key, grants) in byTable { tables[key]?.fields["grants"] = Self.canonicalGrants(grants) }
    }

    mutating func applyBusinessTerms(_ dp: YAMLMappingReader, tables: inout [String: TableDraft]) {
        var seen: [String: SourceLocation] = [:]
        for item in dp.sequence("businessTerms", diagnostics: &diagnostics) ?? [] {
            guard let term = YAMLMappingReader(item, context: "business term", diagnostics: &diagnostics) else {
                continue
            }
            term.checkKeys(Self.termKeys, diagnostics: &diagnostics)
            guard let name = term.string("term", required: true, diagnostics: &diagnostics) else { continue }
            _ = term.string("definition", required: true, diagnostics: &diagnostics)
            _ = term.string("url", diagnostics: &diagnostics)
            if let earlier = seen[name] {
                diagnostics.add(
                    term["term"]!.location, "business term '\(name)' is already defined at line \(earlier.line)")
            }
            seen[name] = term["term"]!.location
            for (index, reference) in (term.stringList("columns", diagnostics: &diagnostics) ?? []).enumerated() {
                let location = term["columns"]?.sequence?[index].location ?? item.location
                guard let target = column(reference, in: tables, at: location) else { continue }
                var json = tables[target.table]!.columns[target.index].json
                var tags = json["tags"]?.objectValue ?? [:]
                tags["business_term"] = .string(name)
                json["tags"] = .object(tags)
                tables[target.table]!.columns[target.index].json = json
            }
        }
    }

    mutating func renderShare(_ port: String, _ share: YAMLMappingReader, tables: [TableDraft]) {
        share.checkKeys(Self.shareKeys, diagnostics: &diagnostics)
        let name = ucName(share, "name", what: "share")
        var fields: [String: JSONValue] = [:]
        if let comment = share.string("comment", diagnostics: &diagnostics) { fields["comment"] = .string(comment) }
        var grants: [String: Set<String>] = [:]
        var dependsOn = tables.map(\.key)
        for item in share.sequence("recipients", diagnostics: &diagnostics) ?? [] {
            guard let recipient = YAMLMappingReader(item, context: "recipient", diagnostics: &diagnostics) else {
                continue
            }
            recipient.checkKeys(Self.recipientKeys, diagnostics: &diagnostics)
            guard let recipientName = ucName(recipient, "name", what: "recipient") else { continue }
            let type =
                recipient.oneOf("authenticationType", ["TOKEN", "DATABRICKS"], diagnostics: &diagnostics) ?? "TOKEN"
            var recipientFields: [String: JSONValue] = [
                "name": .string(recipientName), "authentication_type": .string(type),
            ]
            if let comment = recipient.string("comment", diagnostics: &diagnostics) {
                recipientFields["comment"] = .string(comment)
            }
            let metastore = recipient.string("globalMetastoreId", diagnostics: &diagnostics)
            if type == "DATABRICKS" {
                if let metastore {
                    recipientFields["data_recipient_global_metastore_id"] = .string(metastore)
                } else {
                    diagnostics.add(
                        item.location,
                        "recipient '\(recipientName)' with DATABRICKS authentication needs globalMetastoreId")
                }
            } else if metastore != nil {
                diagnostics.add(
                    recipient.location(of: "globalMetastoreId"), "globalMetastoreId is only for DATABRICKS recipients")
            }
            let key = "recipients.\(recipientName)"
            let resource = Resource(kind: .recipient, key: key, name: recipientName, fields: recipientFields)
            if let existing = resources[key] {
                if existing != resource {
                    diagnostics.add(
                        item.location,
                        "recipient '\(recipientName)' is defined differently at line \(origins[key]!.line)")
                }
            } else {
                add(resource, at: recipient["name"]!.location)
            }
            grants[recipientName, default: []].insert("SELECT")
            dependsOn.append(key)
        }
        guard let name else { return }
        fields["name"] = .string(name)
        fields["objects"] = .array(
            tables.map(\.full).sorted().map { ["name": .string($0), "data_object_type": "TABLE"] })
        fields["grants"] = Self.canonicalGrants(grants)
        add(
            Resource(kind: .share, key: "shares.\(port)", name: name, fields: fields, dependsOn: dependsOn),
            at: share.location(of: "name"))
    }

    /// Adds the dependencies that follow from names (schema → catalog, volume → schema, monitor → table,
    /// Genie space → tables) and fills Genie table and column descriptions from the contracts.
    mutating func linkDependencies() {
        var byName: [String: String] = [:]
        for resource in resources.values where [.catalog, .schema, .table].contains(resource.kind) {
            byName["\(resource.kind.rawValue):\(resource.name)"] = resource.key
        }
        for key in resources.keys.sorted() {
            var resource = resources[key]!
            var extra: [String] = []
            switch resource.kind {
            case .schema:
                extra += [byName["catalogs:\(resource.fields["catalog_name"]?.stringValue ?? "")"]].compactMap { $0 }
            case .volume:
                let schema =
                    "\(resource.fields["catalog_name"]?.stringValue ?? "").\(resource.fields["schema_name"]?.stringValue ?? "")"
                extra += [byName["schemas:\(schema)"]].compactMap { $0 }
            case .qualityMonitor:
                extra += [byName["tables:\(resource.name)"]].compactMap { $0 }
                extra += [byName["schemas:\(resource.fields["output_schema_name"]?.stringValue ?? "")"]].compactMap {
                    $0
                }
            case .genieSpace:
                if case .object(var space) = resource.fields["serialized_space"] ?? .null {
                    extra += enrichGenie(&space, byName: byName)
                    resource.fields["serialized_space"] = .object(space)
                }
            default:
                break
            }
            resource.dependsOn = Array(Set(resource.dependsOn + extra)).sorted()
            resources[key] = resource
        }
    }

    /// Fills the table and column descriptions and synonyms a Genie space leaves out from the rendered tables
    /// (``GenieContractMetadata``): per key, so a column the file configures still gets what it does not say.
    private func enrichGenie(_ space: inout [String: JSONValue], byName: [String: String]) -> [String] {
        guard case .object(var sources) = space["data_sources"] ?? .null,
            case .array(let entries) = sources["tables"] ?? .null
        else { return [] }
        var dependsOn: [String] = []
        var enriched: [JSONValue] = []
        for entry in entries {
            guard case .object(var table) = entry, let identifier = table["identifier"]?.stringValue?.lowercased(),
                let key = byName["tables:\(identifier)"], let resource = resources[key]
            else {
                enriched.append(entry)
                continue
            }
            dependsOn.append(key)
            table["identifier"] = .string(identifier)
            table = GenieContractMetadata(table: resource).filling(table)
            enriched.append(.object(table))
        }
        sources["tables"] = .array(
            enriched.sorted { ($0["identifier"]?.stringValue ?? "") < ($1["identifier"]?.stringValue ?? "") })
        space["data_sources"] = .object(sources)
        return dependsOn
    }
}
