import Descriptors
import Foundation
import LakegateCore
import Planner

extension ProductCapture {
    /// Genie spaces built in the workspace on the product's tables (``LiveSnapshot/unclaimedGenieSpaces``), in its
    /// catalogs or schemas: each
    /// becomes `genie/<key>.geniespace.json`, holding only what the contracts do not give, and a `genie_spaces`
    /// bundle resource that points at it, next to the product's other Genie spaces (else in `databricks.yml`).
    /// The next plan adopts the space (found by its title). A space that also names tables outside the product's
    /// catalogs and schemas, or whose title a declared space already has, is reported instead.
    mutating func captureNewGenieSpaces() throws {
        let spaces = live.unclaimedGenieSpaces
        guard !spaces.isEmpty else { return }
        // How the files name each catalog the product owns or has schemas in, by its name for this target.
        var catalogs: [String: String] = [:]
        var schemas: Set<String> = []
        for resource in desired.resources where resource.kind == .catalog {
            catalogs[resource.name.lowercased()] = catalogReference(resource)
        }
        for schema in desired.resources where schema.kind == .schema {
            schemas.insert(schema.name.lowercased())
            let catalog = String(schema.name.lowercased().split(separator: ".").first ?? "")
            if catalogs[catalog] == nil {
                let written = product.resourceSource(schema.key)?.node["catalog_name"]?.text
                catalogs[catalog] = firstResolving([written].compactMap { $0 }, to: catalog) ?? catalog
            }
        }
        /// Whether a table is in a catalog of the product or in one of its schemas.
        func inside(_ table: String) -> Bool {
            let parts = table.split(separator: ".").map(String.init)
            guard parts.count == 3 else { return false }
            return desired.resources.contains { $0.kind == .catalog && $0.name.lowercased() == parts[0] }
                || schemas.contains("\(parts[0]).\(parts[1])")
        }
        let declared = desired.resources.filter { $0.kind == .genieSpace }
        let bundleFile =
            declared.compactMap { product.resourceSource($0.key)?.file }.sorted().first
            ?? ProductLoader.bundleFile
        var keys = Set((product.bundleJSON["resources"]?["genie_spaces"]?.objectValue ?? [:]).keys)
        let metadata = Self.contractMetadata(try renderedAsEdited())
        for space in spaces {
            let label = "genie space '\(space.name)' (id \(space.id))"
            let serialized = Normalizer.normalize(space.fields, kind: .genieSpace)["serialized_space"] ?? [:]
            let tables = (serialized.value(at: Self.genieTablesPath)?.arrayValue ?? []).compactMap {
                $0["identifier"]?.stringValue?.lowercased()
            }
            let outside = tables.filter { !inside($0) }
            guard outside.isEmpty else {
                notCaptured.append(
                    "\(label) is new in the workspace and also names tables outside the product's catalogs and "
                        + "schemas ("
                        + outside.joined(separator: ", ") + "): not captured; declare it by hand if it is the "
                        + "product's")
                continue
            }
            guard let warehouse = space.fields["warehouse_id"]?.stringValue else {
                notCaptured.append("\(label) is new in the workspace but has no warehouse: not captured")
                continue
            }
            if let clash = declared.first(where: { $0.name == space.name }) {
                notCaptured.append(
                    "\(label) is new in the workspace, but \(clash.key) has the same title (titles identify "
                        + "spaces): not captured; rename one of them")
                continue
            }
            let base = Self.resourceKey(
                titleTemplate(space.name).replacingOccurrences(of: " (${bundle.target})", with: ""),
                fallback: "genie_space")
            var key = base
            var path = "genie/\(key).geniespace.json"
            var suffix = 2
            while keys.contains(key) || product.fileSource.exists(path) || wholeFiles[path] != nil {
                key = "\(base)_\(suffix)"
                path = "genie/\(key).geniespace.json"
                suffix += 1
            }
            keys.insert(key)
            let content = Self.genieFileContent(
                live: serialized, deployed: nil, file: .object([:]), metadata: metadata, space: "genie space \(key)",
                file: path)
            // What the contracts give and the new space lacks reaches it when the plan adopts it: not worth a note.
            notes += content.notes.filter { $0.contains(": recorded") }
            contractFollowUps["genie_spaces.\(key)"] = content.followUp
            let fileTables = (content.file.value(at: Self.genieTablesPath)?.arrayValue ?? []).map { entry in
                guard let id = entry["identifier"]?.stringValue, let dot = id.firstIndex(of: ".") else { return entry }
                let reference = catalogs[String(id[..<dot])] ?? String(id[..<dot])
                return entry.setting([.key("identifier")], to: .string(reference + id[dot...]))
            }
            let file =
                content.file.value(at: Self.genieTablesPath) == nil
                ? content.file : content.file.setting(Self.genieTablesPath, to: .array(fileTables))
            wholeFiles[path] = Data((file.prettyJSON + "\n").utf8)
            var entry: [String: JSONValue] = [
                "title": .string(titleTemplate(space.name)),
                "warehouse_id": .string(warehouseReference(warehouse, declared: declared)),
                "file_path": .string(Self.relativePath(from: bundleFile, to: path)),
            ]
            if let description = space.fields["description"]?.stringValue, !description.isEmpty {
                entry["description"] = .string(description)
            }
            try set(bundleFile, ["resources", "genie_spaces", key].steps, to: .object(entry))
            newGenieSpaces[space.id] = "genie_spaces.\(key)"
            notes.append(
                "genie space \(key): built in the workspace ('\(space.name)'), captured into \(path) and "
                    + "\(bundleFile); the next plan adopts it")
        }
    }

    /// `" (dev)"` at the end of a title becomes `" (${bundle.target})"`, so the promoted space is named for its
    /// target as the product's other spaces usually are.
    func titleTemplate(_ title: String) -> String {
        let suffix = " (\(target))"
        return title.hasSuffix(suffix) ? String(title.dropLast(suffix.count)) + " (${bundle.target})" : title
    }

    /// How the file names the catalog: its bundle name as written (`${var.catalog}`), or a reference to the
    /// resource, whichever resolves to the catalog's name for this target; else the name itself.
    func catalogReference(_ catalog: Resource) -> String {
        let local = catalog.key.split(separator: ".").dropFirst().joined(separator: ".")
        let written = product.resourceSource(catalog.key)?.node["name"]?.text
        return firstResolving(
            [written, "${resources.catalogs.\(local).name}"].compactMap { $0 }, to: catalog.name) ?? catalog.name
    }

    /// The warehouse as the product's other spaces write it, or `${var.warehouse_id}`, when that resolves to it.
    func warehouseReference(_ warehouse: String, declared: [Resource]) -> String {
        let written = declared.compactMap { product.resourceSource($0.key)?.node["warehouse_id"]?.text }
        return firstResolving(written + ["${var.warehouse_id}"], to: warehouse) ?? warehouse
    }

    /// The first template (with `${…}` references) that resolves to `value` for the target.
    func firstResolving(_ templates: [String], to value: String) -> String? {
        templates.first { template in
            template.contains("${")
                && product.interpolate(
                    YAMLNode(json: .string(template), location: SourceLocation(path: ProductLoader.bundleFile)),
                    target: target
                ).text?.lowercased() == value.lowercased()
        }
    }
}
