import Descriptors
import Foundation
import LakegateCore

extension ProductCapture {
    /// Functions built in one of the product's schemas (``LiveSnapshot/unclaimedObjects``): one that a captured
    /// column mask or row filter uses becomes its `access.columnMasks` / `access.rowFilters` entry, with the live
    /// parameters, return type, body and comment; `dataproduct.yaml` declares functions only that way, so any other
    /// is listed as not captured.
    mutating func captureNewFunctions() throws {
        for function in live.unclaimedObjects where function.kind == .function {
            let short = function.name.split(separator: ".").last.map(String.init) ?? function.name
            let asMask = maskChanges.contains { $0.function == short }
            let filters = filterChanges.filter { $0.function == short }
            guard desired.resource(forKey: function.key) == nil else {
                notCaptured.append(
                    "\(function.name): the product already declares a function named '\(short)' (function names are "
                        + "unique in a product)")
                continue
            }
            guard asMask || !filters.isEmpty else {
                notCaptured.append(
                    "\(function.name): a function built in the workspace that no column mask or row filter of the "
                        + "product uses; dataproduct.yaml declares functions only as masks and row filters: declare "
                        + "it by hand or drop it")
                continue
            }
            guard let schemaKey = bundleSchemaKey(of: function.name) else { continue }
            let fields = function.fields
            var entry: [String: JSONValue] = ["function": .string(short), "schema": .string(schemaKey)]
            entry["parameters"] = fields["input_params"]
            if asMask { entry["returns"] = fields["data_type"] }
            entry["definition"] = fields["routine_definition"]
            entry["comment"] = fields["comment"]
            if asMask && !filters.isEmpty {
                notCaptured.append(
                    "\(function.name): used both as a column mask and as a row filter; declared as a mask")
            }
            // Empty references: the mask and filter changes collected from the tables fill them in.
            let list = asMask ? ["access", "columnMasks"] : ["access", "rowFilters"]
            if !asMask {
                entry["table"] = .string(filters[0].table)
                entry["columns"] = .array(filters[0].columns)
            } else {
                entry["columns"] = .array([])
            }
            var entries = try document(Self.dataProductFile).value(at: list.steps)?.arrayValue ?? []
            entries.append(.object(entry))
            try set(Self.dataProductFile, list.steps, to: .array(entries))
            captured.append(function)
            notes.append(
                "\(list.joined(separator: ".")): the function \(function.name) built in the workspace, with its body")
        }
    }

    /// Volumes built in one of the product's schemas: a new `resources.volumes` entry next to the schema's
    /// declaration, its catalog and schema as references to theirs, with its comment and grants. Tags other than
    /// the markers cannot be declared in a bundle.
    mutating func captureNewVolumes() throws {
        for volume in live.unclaimedObjects where volume.kind == .volume {
            let short = volume.name.split(separator: ".").last.map(String.init) ?? volume.name
            let key = Self.resourceKey(short)
            guard product.resourceSource("volumes.\(key)") == nil, desired.resource(forKey: "volumes.\(key)") == nil
            else {
                notCaptured.append("\(volume.name): the bundle already declares a volume '\(key)'")
                continue
            }
            guard let schemaKey = bundleSchemaKey(of: volume.name),
                let schemaSource = product.resourceSource("schemas.\(schemaKey)")
            else { continue }
            let fields = volume.fields
            var body: [String: JSONValue] = [
                "catalog_name": schemaSource.node["catalog_name"]?.jsonValue ?? fields["catalog_name"] ?? .null,
                "schema_name": .string("${resources.schemas.\(schemaKey).name}"), "name": .string(short),
            ]
            body["comment"] = fields["comment"]
            if fields["volume_type"]?.stringValue == "EXTERNAL" {
                body["volume_type"] = "EXTERNAL"
                body["storage_location"] = fields["storage_location"]
            }
            let grants = Self.grantMap(fields["grants"]).sorted { $0.key < $1.key }.map { principal, privileges in
                JSONValue.object([
                    "principal": .string(principal), "privileges": .array(privileges.sorted().map { .string($0) }),
                ])
            }
            if !grants.isEmpty { body["grants"] = .array(grants) }
            if Self.withoutMarkers(fields["tags"]) != nil {
                notCaptured.append("\(volume.name): its tags cannot be declared in the bundle")
            }
            try set(schemaSource.file, ["resources", "volumes", key].steps, to: .object(body))
            captured.append(volume)
            notes.append("volumes.\(key): the volume \(volume.name) built in the workspace, in \(schemaSource.file)")
        }
    }

    /// The key of the bundle schema whose rendered name is the parent of the full name `name`
    /// (`catalog.schema.object`); nil, and a not-captured line, when none is.
    mutating func bundleSchemaKey(of name: String) -> String? {
        let parent = name.split(separator: ".").prefix(2).joined(separator: ".").lowercased()
        guard let schema = desired.resources.first(where: { $0.kind == .schema && $0.name.lowercased() == parent })
        else {
            notCaptured.append("\(name): \(parent) is not a schema the bundle declares")
            return nil
        }
        return String(schema.key.dropFirst("schemas.".count))
    }

    /// A bundle resource key for a workspace name or title: lower-case ASCII letters and digits, every other run
    /// of characters one `_`; `fallback` when nothing is left.
    static func resourceKey(_ name: String, fallback: String = "captured") -> String {
        var key = ""
        for character in name.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                key.append(character)
            } else if !key.isEmpty && key.last != "_" {
                key.append("_")
            }
        }
        while key.hasSuffix("_") { key.removeLast() }
        return key.isEmpty ? fallback : key
    }

    /// A changed mask or row filter function: its parameters, return type, body and comment into its
    /// `access.columnMasks` / `access.rowFilters` entry.
    mutating func captureFunction(
        _ resource: Resource, differing: [String], desired: [String: JSONValue], live: [String: JSONValue]
    ) throws {
        let name = String(resource.key.dropFirst("functions.".count))
        let fieldKeys = [
            "input_params": "parameters", "data_type": "returns", "routine_definition": "definition",
            "comment": "comment",
        ]
        for list in [["access", "columnMasks"], ["access", "rowFilters"]] {
            let entries = try document(Self.dataProductFile).value(at: list.steps)?.arrayValue ?? []
            guard let index = entries.firstIndex(where: { $0["function"]?.stringValue == name }) else { continue }
            for field in differing {
                guard let key = fieldKeys[field], key != "returns" || list.last == "columnMasks" else {
                    notCaptured.append("\(resource.key): '\(field)' differs and cannot change in place")
                    continue
                }
                try set(Self.dataProductFile, list.steps + [.index(index), .key(key)], to: live[field])
            }
            return
        }
        notCaptured.append("\(resource.key): no access.columnMasks or access.rowFilters entry declares it")
    }
}
