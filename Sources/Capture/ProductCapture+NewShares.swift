import Descriptors
import Foundation
import LakegateCore

extension ProductCapture {
    /// Quality monitors built on the product's tables (``WorkspaceFootprint/monitors``): a new
    /// `resources.quality_monitors` entry next to the product's monitors (or jobs, or in `databricks.yml`), the table
    /// and output schema written with the catalog's own reference so that the monitor follows the product to qa and
    /// prod.
    mutating func captureNewMonitors() throws {
        let file =
            desired.resources.first { $0.kind == .qualityMonitor || $0.kind == .job }.flatMap {
                product.resourceSource($0.key)?.file
            } ?? ProductLoader.bundleFile
        for monitor in footprint.monitors.sorted(by: { $0.name < $1.name }) {
            let table = monitor.name.lowercased()
            let short = table.split(separator: ".").last.map(String.init) ?? table
            let isProductTable =
                desired.resources.contains { $0.kind == .table && $0.name.lowercased() == table }
                || live.unclaimedTables.contains { $0.name == table && newTables.contains(short) }
            guard isProductTable else {
                notCaptured.append(
                    "the quality monitor of \(monitor.name): \(monitor.name) is not a table of the product")
                continue
            }
            let key = Self.resourceKey(short) + "_monitor"
            guard product.resourceSource("quality_monitors.\(key)") == nil,
                desired.resource(forKey: "quality_monitors.\(key)") == nil
            else {
                notCaptured.append("the quality monitor of \(monitor.name): the bundle already declares '\(key)'")
                continue
            }
            var body: [String: JSONValue] = [:]
            for (field, value) in monitor.fields.sorted(by: { $0.key < $1.key }) {
                switch field {
                case "table_name", "output_schema_name":
                    body[field] = value.stringValue.map { .string(catalogReference($0)) } ?? value
                case "schedule": body[field] = schedule(value)
                default: body[field] = value
                }
            }
            try set(file, ["resources", "quality_monitors", key].steps, to: .object(body))
            captured.append(monitor)
            notes.append(
                "quality_monitors.\(key): the quality monitor of \(monitor.name) built in the workspace, in \(file)")
        }
    }

    /// `name` (`catalog.rest`) with the catalog written as the bundle writes that catalog's name, when the bundle
    /// declares it (`${var.catalog}.crm.customers`).
    func catalogReference(_ name: String) -> String {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2,
            let catalog = desired.resources.first(where: { $0.kind == .catalog && $0.name.lowercased() == parts[0] }),
            let written = product.resourceSource(catalog.key)?.node["name"]?.text
        else { return name }
        return "\(written).\(parts[1])"
    }

    /// Shares built in the workspace that publish the product's tables (``WorkspaceFootprint/shares``): a share
    /// publishing exactly the tables of an output port that has none becomes that port's `share`, with its comment
    /// and the recipients it grants to. `dataproduct.yaml` can express no other share, so any other is listed.
    mutating func captureNewShares() throws {
        let portsPath = ["outputPorts"].steps
        for share in footprint.shares.sorted(by: { $0.name < $1.name }) {
            let objects = share.fields["objects"]?.arrayValue ?? []
            let tables = Set(objects.compactMap { $0["name"]?.stringValue?.lowercased() })
            var ports = try document(Self.dataProductFile).value(at: portsPath)?.arrayValue ?? []
            guard objects.allSatisfy({ ($0["data_object_type"]?.stringValue ?? "TABLE") == "TABLE" }),
                objects.allSatisfy(Self.sharedUnderItsOwnName),
                let index = try ports.indices.first(where: {
                    try ports[$0]["share"] == nil && portTables(ports[$0]) == tables
                })
            else {
                notCaptured.append(
                    "the share \(share.name): dataproduct.yaml shares exactly the tables of an output port's contract, "
                        + "and no output port without a share has the tables it publishes "
                        + "(\(tables.sorted().joined(separator: ", "))): declare it by hand")
                continue
            }
            var recipients: [JSONValue] = []
            var problems: [String] = []
            for (principal, privileges) in Self.grantMap(share.fields["grants"]).sorted(by: { $0.key < $1.key }) {
                guard privileges == ["SELECT"],
                    let recipient = footprint.recipients.first(where: { $0.name == principal.lowercased() })
                        ?? live.resources["recipients.\(principal.lowercased())"]
                else {
                    problems.append("\(principal) holds \(privileges.sorted().joined(separator: ", "))")
                    continue
                }
                var entry: [String: JSONValue] = ["name": .string(recipient.name)]
                entry["authenticationType"] = recipient.fields["authentication_type"]
                entry["globalMetastoreId"] = recipient.fields["data_recipient_global_metastore_id"]
                entry["comment"] = recipient.fields["comment"]
                recipients.append(.object(entry))
                if footprint.recipients.contains(recipient) { captured.append(recipient) }
            }
            guard problems.isEmpty else {
                notCaptured.append(
                    "the share \(share.name): \(problems.joined(separator: "; ")), and a product share grants SELECT "
                        + "to recipients only: declare it by hand")
                continue
            }
            var body: [String: JSONValue] = ["name": .string(templatedName(share.name))]
            body["comment"] = share.fields["comment"]
            if !recipients.isEmpty { body["recipients"] = .array(recipients) }
            ports[index] = ports[index].setting([.key("share")], to: .object(body))
            try set(Self.dataProductFile, portsPath, to: .array(ports))
            captured.append(share)
            notes.append(
                "outputPorts: the share \(share.name) built in the workspace publishes output port "
                    + "'\(ports[index]["name"]?.stringValue ?? "?")'")
        }
    }

    /// Whether a share object is shared as its own `schema.table` (the default, and all a product share does).
    static func sharedUnderItsOwnName(_ object: JSONValue) -> Bool {
        guard let alias = object["shared_as"]?.stringValue else { return true }
        let name = object["name"]?.stringValue?.lowercased() ?? ""
        return alias.lowercased() == name.split(separator: ".").suffix(2).joined(separator: ".")
    }

    /// The full names of the tables an output port publishes: its contract's tables (as edited so far) in its schema.
    mutating func portTables(_ port: JSONValue) throws -> Set<String> {
        guard let schemaKey = port["schema"]?.stringValue, let reference = port["contract"]?.stringValue,
            let schema = desired.resource(forKey: "schemas.\(schemaKey)"),
            let path = product.contract(reference)?.path ?? newContracts[reference]
        else { return [] }
        let objects = try document(path).value(at: ["schema"].steps)?.arrayValue ?? []
        return Set(
            objects.filter { ($0["physicalType"]?.stringValue ?? "table").lowercased() == "table" }.compactMap {
                $0["name"]?.stringValue.map { "\(schema.name.lowercased()).\($0.lowercased())" }
            })
    }

    /// A name built for this target (`…_dev`) written so that it follows the product to the other targets.
    func templatedName(_ name: String) -> String {
        let suffix = "_" + target.lowercased()
        guard name.hasSuffix(suffix), name.count > suffix.count else { return name }
        return String(name.dropLast(suffix.count)) + "_${bundle.target}"
    }

    /// A changed share of an output port: its comment into the port's `share`. Its objects are the tables of the
    /// port's contract and its grants the port's recipients: differences there are listed.
    mutating func captureShare(_ resource: Resource, differing: [String], live: [String: JSONValue]) throws {
        let port = String(resource.key.dropFirst("shares.".count))
        let portsPath = ["outputPorts"].steps
        let ports = try document(Self.dataProductFile).value(at: portsPath)?.arrayValue ?? []
        guard let index = ports.firstIndex(where: { $0["name"]?.stringValue == port && $0["share"] != nil }) else {
            notCaptured.append("\(resource.key): no output port '\(port)' with a share declares it")
            return
        }
        for field in differing {
            switch field {
            case "comment":
                try set(
                    Self.dataProductFile, portsPath + [.index(index), .key("share"), .key("comment")], to: live[field])
            case "objects":
                notCaptured.append(
                    "\(resource.key): its objects differ; a product share publishes the tables of its output port's "
                        + "contract: add or remove the tables there, or edit the share back")
            case "grants":
                notCaptured.append(
                    "\(resource.key): the recipients granted on it differ; edit outputPorts[].share.recipients by hand "
                        + "(a recipient needs its authentication type)")
            default:
                notCaptured.append("\(resource.key): '\(field)' differs and cannot change in place")
            }
        }
    }
}
