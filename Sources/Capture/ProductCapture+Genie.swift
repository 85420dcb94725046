import Descriptors
import Foundation
import LakegateCore
import Planner

/// Genie spaces: what a space's file says explicitly, against what the contracts give it.
///
/// The renderer fills every table and column description (and business-name synonym) that the space's file leaves
/// out from the contracts (``GenieContractMetadata``), at every render. Capture therefore records in the file only
/// what differs from the contracts, value by value: for each description of a product table in the live space,
///
/// - unchanged in Genie since it was deployed from the contract (the file leaves it out): left out, so the
///   contract's text — perhaps just captured from a table comment — reaches Genie at the next apply;
/// - equal to what the (captured) contracts give: left out, and removed from the file if it was there;
/// - anything else (edited in Genie, or the file's own override): written into the file, `[]` for none.
extension ProductCapture {
    /// The path of the table entries inside `serialized_space`.
    static let genieTablesPath: [PathStep] = [.key("data_sources"), .key("tables")]

    /// Genie spaces, compared with the product as edited so far: the table and column descriptions the renderer
    /// fills in come from the contracts, which capture may just have changed.
    mutating func captureGenieSpaces() throws {
        let spaces = desired.resources.filter { $0.kind == .genieSpace && live.resources[$0.key] != nil }
        guard !spaces.isEmpty else { return }
        let rendered = try renderedAsEdited()
        let metadata = Self.contractMetadata(rendered)
        for space in spaces {
            let resource = rendered.resource(forKey: space.key) ?? space
            let wanted = Normalizer.normalize(resource.fields, kind: .genieSpace)
            let have = Normalizer.normalize(live.resources[space.key]!.fields, kind: .genieSpace)
            let differing = Set(wanted.keys).union(have.keys).filter {
                $0 != "serialized_space" && wanted[$0] != have[$0]
            }
            if !differing.isEmpty {
                try captureBundleResource(space, differing: differing.sorted(), desired: wanted, live: have)
            }
            // Always, not only when the space differs: values equal to the contract's leave the file.
            let deployed = Normalizer.normalize(space.fields, kind: .genieSpace)["serialized_space"]
            try captureGenieSpace(space, live: have["serialized_space"], deployed: deployed, metadata: metadata)
        }
    }

    /// The desired state of the product with the edits made so far (the original one when it does not render).
    func renderedAsEdited() throws -> DesiredState {
        let edited = try result()
        return (try? edited.rendered(product, target: target)) ?? desired
    }

    /// What the contracts give Genie, by lower-case full table name.
    static func contractMetadata(_ state: DesiredState) -> [String: GenieContractMetadata] {
        var result: [String: GenieContractMetadata] = [:]
        for table in state.resources where table.kind == .table {
            result[table.name.lowercased()] = GenieContractMetadata(table: table)
        }
        return result
    }

    /// `serialized_space` into the `.geniespace.json` file named by `file_path` (or the inline value), recording
    /// only what the contracts do not give.
    mutating func captureGenieSpace(
        _ space: Resource, live: JSONValue?, deployed: JSONValue?, metadata: [String: GenieContractMetadata]
    ) throws {
        guard let live else { return }
        guard let source = product.resourceSource(space.key) else {
            notCaptured.append("\(space.key): no declaration found in the bundle")
            return
        }
        let name = "genie space \(space.key.split(separator: ".").dropFirst().joined(separator: "."))"
        let interpolated = product.interpolate(source.node, target: target)
        guard let reference = interpolated["file_path"]?.text else {
            let written = source.node["serialized_space"]
            let resolved = interpolated["serialized_space"].flatMap { node in
                node.scalar != nil ? node.text.flatMap { try? JSONValue(parsing: $0) } : node.jsonValue
            }
            let content = Self.genieFileContent(
                live: live, deployed: deployed, file: resolved ?? .object([:]), metadata: metadata, space: name,
                file: "\(source.file) (serialized_space)")
            notes += content.notes
            if content.followUp != live { contractFollowUps[space.key] = content.followUp }
            if written != nil, let resolved, Self.cleaned(resolved) == Self.cleaned(content.file) { return }
            try mergeField(space.key, "serialized_space", live: content.file)
            return
        }
        guard let path = Product.productPath(reference, relativeTo: source.file) else {
            notCaptured.append("\(space.key): file_path '\(reference)' leaves the product")
            return
        }
        let text = try product.fileSource.read(path)
        let written = try JSONValue(parsing: text)
        let resolved = product.interpolate(
            YAMLNode(json: written, location: SourceLocation(path: path)), target: target
        )
        .jsonValue
        let content = Self.genieFileContent(
            live: live, deployed: deployed, file: resolved, metadata: metadata, space: name, file: path)
        notes += content.notes
        if content.followUp != live { contractFollowUps[space.key] = content.followUp }
        let merged = TemplateMerge.merge(
            written: written, resolved: resolved, live: content.file, unordered: ["tables", "column_configs"])
        guard let merged, merged != written else { return }
        wholeFiles[path] = Data(JSONTextPatch.apply(text: String(decoding: text, as: UTF8.self), to: merged).utf8)
    }

    /// What the space's file should hold so that it renders as the live space, given what the contracts give,
    /// with a note for every description that does not simply follow the contract; and the live space as the next
    /// apply will leave it (descriptions that follow the contract replaced by the contract's).
    ///
    /// - Parameters:
    ///   - live: the live `serialized_space`, normalized.
    ///   - deployed: the space as the files gave it before the capture, normalized: what was last deployed.
    ///   - file: the space's file as written, interpolated for the target.
    ///   - metadata: what the contracts as captured give, by lower-case full table name.
    static func genieFileContent(
        live: JSONValue, deployed: JSONValue?, file: JSONValue, metadata: [String: GenieContractMetadata],
        space: String, file label: String
    ) -> (file: JSONValue, followUp: JSONValue, notes: [String]) {
        guard let liveTables = live.value(at: genieTablesPath)?.arrayValue else { return (live, live, []) }
        let deployedTables = tableEntries(deployed)
        let fileTables = tableEntries(file)
        var notes: [String] = []
        var fileEntries: [JSONValue] = []
        var followUpEntries: [JSONValue] = []
        for entry in liveTables {
            guard case .object(let table) = entry, let id = table["identifier"]?.stringValue?.lowercased(),
                let contract = metadata[id]
            else {
                fileEntries.append(entry)
                followUpEntries.append(entry)
                continue
            }
            let shortName = String(id.split(separator: ".").last ?? Substring(id))
            let was = deployedTables[id] ?? [:]
            let written = fileTables[id]
            var decision = GenieDecision(space: space, file: label)
            var fileEntry = table
            var followUp = table
            fileEntry["description"] = decision.decide(
                live: table["description"], deployed: was["description"], file: written?["description"],
                contract: contract.description, what: "table \(shortName) description")
            if decision.follows { followUp["description"] = contract.description }

            let liveConfigs = columnConfigs(table["column_configs"])
            let deployedConfigs = columnConfigs(was["column_configs"])
            let fileConfigs = columnConfigs(written?["column_configs"])
            var names: [String] = []
            for name in fileConfigs.order + liveConfigs.order + contract.columns.keys.sorted()
            where !names.contains(name) {
                names.append(name)
            }
            var configs: [JSONValue] = []
            var followUpConfigs = liveConfigs.byName
            for name in names {
                let have = liveConfigs.byName[name]
                let fileConfig = fileConfigs.byName[name]
                var config = (have ?? [:]).filter {
                    $0.key != "column_name" && !GenieContractMetadata.columnKeys.contains($0.key)
                }
                let columnName = fileConfig?["column_name"] ?? have?["column_name"] ?? .string(name)
                for key in GenieContractMetadata.columnKeys {
                    config[key] = decision.decide(
                        live: have?[key], deployed: deployedConfigs.byName[name]?[key], file: fileConfig?[key],
                        contract: contract.columns[name]?[key],
                        what: "column \(shortName).\(columnName.stringValue ?? name) \(key)")
                    if decision.follows {
                        var updated = followUpConfigs[name] ?? ["column_name": columnName]
                        updated[key] = contract.columns[name]?[key]
                        followUpConfigs[name] = updated
                    }
                }
                guard !config.isEmpty else { continue }
                config["column_name"] = columnName
                configs.append(.object(config))
            }
            fileEntry["column_configs"] = configs.isEmpty ? nil : .array(configs)
            // In the order the renderer gives them: by column name.
            let followed = names.sorted().compactMap { followUpConfigs[$0].map(JSONValue.object) }
            followUp["column_configs"] = followed.isEmpty ? nil : .array(followed)
            notes += decision.notes
            fileEntries.append(.object(fileEntry))
            followUpEntries.append(.object(followUp))
        }
        let followUp = Normalizer.normalize(
            ["serialized_space": live.setting(genieTablesPath, to: .array(followUpEntries))], kind: .genieSpace)
        return (
            live.setting(genieTablesPath, to: .array(fileEntries)), followUp["serialized_space"] ?? live, notes
        )
    }

    /// Table entries of a space by lower-case identifier.
    static func tableEntries(_ space: JSONValue?) -> [String: [String: JSONValue]] {
        var result: [String: [String: JSONValue]] = [:]
        for item in space?.value(at: genieTablesPath)?.arrayValue ?? [] {
            if let id = item["identifier"]?.stringValue?.lowercased(), let members = item.objectValue {
                result[id] = members
            }
        }
        return result
    }

    /// Column configs by lower-case column name, and the names in their order.
    static func columnConfigs(_ value: JSONValue?) -> (byName: [String: [String: JSONValue]], order: [String]) {
        var byName: [String: [String: JSONValue]] = [:]
        var order: [String] = []
        for item in value?.arrayValue ?? [] {
            guard let name = item["column_name"]?.stringValue?.lowercased(), let members = item.objectValue,
                byName[name] == nil
            else { continue }
            byName[name] = members
            order.append(name)
        }
        return (byName, order)
    }

    /// A value as the planner compares it: absent, null and empty are the same.
    static func cleaned(_ value: JSONValue?) -> JSONValue? {
        guard let value else { return nil }
        return Normalizer.normalize(["serialized_space": ["value": value]], kind: .genieSpace)["serialized_space"]?[
            "value"]
    }
}
