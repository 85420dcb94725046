import Descriptors
import Foundation
import LakegateCore

extension ProductCapture {
    /// Tables built in the workspace in one of the product's schemas, without ownership markers and not named by the
    /// files (``LiveSnapshot/unclaimedTables``): each becomes a new schema object of the contract published on that
    /// schema, or of a new contract `contracts/<schema>.odcs.yaml` with its own output port. The next plan adopts
    /// them (markers, and the grants `access.grants` gives every table).
    mutating func captureNewTables() throws {
        let monitorOutputs = Set(
            desired.resources.filter { $0.kind == .qualityMonitor }.flatMap { monitor -> [String] in
                let table = monitor.name.split(separator: ".").last.map(String.init) ?? monitor.name
                return ["\(table)_profile_metrics", "\(table)_drift_metrics"]
            })
        for live in self.live.unclaimedTables {
            let parts = live.name.split(separator: ".").map(String.init)
            guard parts.count == 3 else { continue }
            let table = parts[2]
            // Metric tables a quality monitor writes are the monitor's output, not the product's tables.
            if monitorOutputs.contains(table) { continue }
            let type = live.fields["table_type"]?.stringValue ?? "MANAGED"
            guard type.uppercased() == "MANAGED" else {
                notCaptured.append(
                    type.uppercased() == "VIEW"
                        ? "\(live.name) is a view built in the workspace: the product's files describe tables, not "
                            + "views (a view's query has no place in a contract)"
                        : "\(live.name) is a \(type.lowercased()) table without ownership markers: capture adds "
                            + "managed tables only")
                continue
            }
            guard desired.resource(forKey: live.key) == nil, schemaObject(named: table) == nil,
                !newTables.contains(table)
            else {
                notCaptured.append(
                    "\(live.name): the product already declares a table named '\(table)' (table names are unique "
                        + "in a product)")
                continue
            }
            guard
                let schema = desired.resources.first(where: {
                    $0.kind == .schema && $0.name.lowercased() == "\(parts[0]).\(parts[1])"
                })
            else { continue }
            let schemaKey = String(schema.key.dropFirst("schemas.".count))
            guard let contract = try contractPath(forSchema: schemaKey, name: parts[1], full: schema.name) else {
                continue
            }
            try addSchemaObject(live, table: table, to: contract)
            newTables.insert(table)
            let ports = try document(Self.dataProductFile)["outputPorts"]?.arrayValue ?? []
            for port in ports where port["schema"]?.stringValue == schemaKey && port["share"] != nil {
                notes.append(
                    "tables.\(table): output port '\(port["name"]?.stringValue ?? schemaKey)' publishes it, so its "
                        + "share will include \(live.name) after apply")
            }
            reportGrants(of: live, table: table)
        }
    }

    /// The contract published on the bundle schema `schemaKey`; a new one (with its output port) when none is.
    mutating func contractPath(forSchema schemaKey: String, name: String, full: String) throws -> String? {
        let portsPath = ["outputPorts"].steps
        var ports = try document(Self.dataProductFile).value(at: portsPath)?.arrayValue ?? []
        for port in ports where port["schema"]?.stringValue == schemaKey {
            guard let reference = port["contract"]?.stringValue else { continue }
            if let contract = product.contract(reference) { return contract.path }
            if let path = newContracts[reference] { return path }
        }
        let path = "\(ProductLoader.contractsDirectory)/\(name).odcs.yaml"
        let domain = try document(Self.dataProductFile)["domain"]?.stringValue ?? "data"
        let id = "urn:lakegate:\(domain):\(product.id):\(name)"
        guard !product.fileSource.exists(path), product.contract(id) == nil,
            !ports.contains(where: { $0["name"]?.stringValue == name })
        else {
            notCaptured.append(
                "tables in \(full): no output port publishes schema '\(schemaKey)', and a new contract \(path) "
                    + "(id \(id), output port '\(name)') would collide with an existing one: add the port by hand")
            return nil
        }
        newFiles[path] = """
            apiVersion: v3.1.0
            kind: DataContract
            id: \(id)
            name: \(name)
            version: 0.1.0
            status: draft
            domain: \(domain)
            dataProduct: \(product.id)
            description:
              purpose: Tables captured from \(full) by lakegate capture; describe their purpose and usage.
            schema: []

            """
        newContracts[id] = path
        ports.append(
            .object([
                "name": .string(name), "description": .string("Tables of \(full), captured from the workspace."),
                "contract": .string(id), "schema": .string(schemaKey),
            ]))
        try set(Self.dataProductFile, portsPath, to: .array(ports))
        notes.append("\(path): a new contract for the tables of \(full), published by the new output port '\(name)'")
        return path
    }

    /// Appends the ODCS schema object of `live` to `contract`; masks, row filters and business terms go the way of
    /// changed ones (into `dataproduct.yaml` when it declares their function or term).
    mutating func addSchemaObject(_ live: LiveResource, table: String, to contract: String) throws {
        var object: JSONValue = .object(["name": .string(table), "physicalType": "table"])
        if let comment = live.fields["comment"] { object = object.setting([.key("description")], to: comment) }
        var tags = Self.withoutMarkers(live.fields["tags"])?.objectValue ?? [:]
        object = object.setting([.key("businessName")], to: tags.removeValue(forKey: "business_name"))
        object = Self.settingTags(object, tags)
        object = object.setting(
            [.key("properties")], to: .array(columns(table, object: object, desired: nil, live: live.fields["columns"]))
        )
        if let filter = live.fields["row_filter"] {
            filterChanges.append(
                (
                    table, shortFunctionName(filter["function_name"]?.stringValue),
                    filter["input_column_names"]?.arrayValue ?? []
                ))
        }
        var objects = try document(contract).value(at: ["schema"].steps)?.arrayValue ?? []
        objects.append(object)
        try set(contract, ["schema"].steps, to: .array(objects))
    }

    /// Capture does not write grants of new tables: on adoption `access.grants` applies to them like to every
    /// product table. Live privileges that it would not give are reported, since applying revokes them.
    mutating func reportGrants(of live: LiveResource, table: String) {
        let resolved =
            product.interpolate(product.dataProductNode, target: target).jsonValue["access"]?["grants"]?.arrayValue
            ?? []
        var given: [String: Set<String>] = [:]
        for entry in resolved {
            guard let principal = entry["principal"]?.stringValue else { continue }
            if let tables = entry["tables"]?.arrayValue,
                !tables.contains(where: { $0.stringValue?.lowercased() == table })
            {
                continue
            }
            for privilege in entry["privileges"]?.arrayValue ?? [] {
                if let text = privilege.stringValue {
                    given[principal, default: []].insert(text.uppercased().replacingOccurrences(of: " ", with: "_"))
                }
            }
        }
        for (principal, privileges) in Self.grantMap(live.fields["grants"]).sorted(by: { $0.key < $1.key }) {
            let lost = privileges.subtracting(given[principal] ?? [])
            if !lost.isEmpty {
                notCaptured.append(
                    "tables.\(table): \(principal) holds \(lost.sorted().joined(separator: ", ")) on \(live.name); "
                        + "grants of a newly captured table come from access.grants, and applying revokes these")
            }
        }
    }
}
