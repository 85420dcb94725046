import Descriptors
import Foundation
import LakegateCore

extension ProductCapture {
    /// Fields that cannot change in place: a difference is a different object, not something to capture.
    static let identityFields: Set<String> = [
        "name", "catalog_name", "schema_name", "volume_type", "storage_location", "table_name", "assets_dir",
    ]
    /// Lists whose order carries no meaning in bundle resources.
    static let unorderedLists: Set<String> = ["grants", "privileges", "tasks", "permissions", "tables"]

    /// Catalogs, schemas, volumes, quality monitors and Genie spaces: their bundle bodies.
    mutating func captureBundleResource(
        _ resource: Resource, differing: [String], desired: [String: JSONValue], live: [String: JSONValue]
    ) throws {
        for field in differing {
            switch field {
            case _ where Self.identityFields.contains(field):
                notCaptured.append("\(resource.key): '\(field)' differs and cannot change in place")
            case "tags":
                if Self.withoutMarkers(desired[field]) != Self.withoutMarkers(live[field]) {
                    notCaptured.append(
                        "\(resource.key): tags other than the ownership markers cannot be declared in the bundle")
                }
            case "properties":
                try mergeField(resource.key, field, live: Self.withoutMarkers(live[field]))
            case "serialized_space":
                try captureGenieSpace(resource, desired: desired[field], live: live[field])
            case "schedule":
                try mergeField(resource.key, field, live: schedule(live[field]))
            default:
                try mergeField(resource.key, field, live: live[field])
            }
        }
    }

    /// Jobs: the changed top-level settings and the permissions, in the job's bundle body.
    mutating func captureJob(
        _ resource: Resource, differing: [String], desired: [String: JSONValue], live: [String: JSONValue]
    ) throws {
        if differing.contains("settings") {
            let wanted = desired["settings"]?.objectValue ?? [:]
            let have = live["settings"]?.objectValue ?? [:]
            for key in Set(wanted.keys).union(have.keys).sorted() where wanted[key] != have[key] {
                switch key {
                case "tags":
                    var tags = Self.withoutMarkers(have[key])?.objectValue ?? [:]
                    if product.isDevelopment(target: target) { tags["dev"] = nil }
                    try mergeField(resource.key, key, live: tags.isEmpty ? nil : .object(tags))
                case "schedule", "trigger": try mergeField(resource.key, key, live: schedule(have[key]))
                case "tasks": try mergeField(resource.key, key, live: tasks(have[key], job: resource.key))
                default: try mergeField(resource.key, key, live: have[key])
                }
            }
        }
        if differing.contains("permissions") {
            let entries = (live["permissions"]?.arrayValue ?? []).map { entry -> JSONValue in
                var object: [String: JSONValue] = [:]
                object["level"] = entry["permission_level"]
                if let type = entry["principal_type"]?.stringValue { object[type] = entry["principal"] }
                return .object(object)
            }
            try mergeField(resource.key, "permissions", live: entries.isEmpty ? nil : .array(entries))
        }
    }

    /// Merges the live value of one top-level field into the resource's body: into the target's override when it
    /// sets the field, else into the base declaration.
    mutating func mergeField(_ key: String, _ field: String, live value: JSONValue?) throws {
        let override = product.targetOverrideSource(key, target: target).flatMap { $0.node[field] != nil ? $0 : nil }
        guard let source = override ?? product.resourceSource(key) else {
            notCaptured.append("\(key): no declaration found in the bundle for '\(field)'")
            return
        }
        let written = source.node[field]?.jsonValue
        let resolved = product.interpolate(source.node, target: target)[field]?.jsonValue
        let merged = TemplateMerge.merge(
            written: written, resolved: resolved, live: value, unordered: Self.unorderedLists)
        if merged != written { try set(source.file, (source.path + [field]).steps, to: merged) }
    }

    /// A schedule or trigger as written: development mode pauses it by itself.
    func schedule(_ value: JSONValue?) -> JSONValue? {
        guard var members = value?.objectValue else { return value }
        if product.isDevelopment(target: target) { members["pause_status"] = nil }
        return .object(members)
    }

    /// Job tasks as written: notebook paths relative to the job's file, the default `source` left out. A task
    /// that now runs a notebook the product does not hold (one built under the bundle root's `files/src/`) gets it
    /// written into `src/`.
    mutating func tasks(_ value: JSONValue?, job: String) -> JSONValue? {
        guard let items = value?.arrayValue else { return value }
        let file = product.resourceSource(job)?.file ?? ProductLoader.bundleFile
        var notebookFiles: [String: String] = [:]
        for resource in desired.resources where resource.kind == .notebook {
            if let source = resource.fields["source"]?.stringValue { notebookFiles[resource.name] = source }
        }
        var result: [JSONValue] = []
        for task in items {
            guard var notebook = task["notebook_task"]?.objectValue else {
                result.append(task)
                continue
            }
            if notebook["source"] == .string("WORKSPACE") { notebook["source"] = nil }
            if let path = notebook["notebook_path"]?.stringValue {
                if let source = notebookFiles[path] {
                    notebook["notebook_path"] = .string(Self.relativePath(from: file, to: source))
                } else if let source = notebookSource(path) {
                    if wholeFiles[source.path] == nil { writeNotebook(source.file, to: source.path) }
                    notebook["notebook_path"] = .string(Self.relativePath(from: file, to: source.path))
                }
            }
            result.append(task.setting([.key("notebook_task")], to: .object(notebook)))
        }
        return .array(result)
    }

    /// `target` (product-relative) as a path relative to the folder of `file`.
    static func relativePath(from file: String, to target: String) -> String {
        let base = file.split(separator: "/").dropLast().map(String.init)
        let parts = target.split(separator: "/").map(String.init)
        var common = 0
        while common < base.count, common < parts.count - 1, base[common] == parts[common] { common += 1 }
        let up = Array(repeating: "..", count: base.count - common)
        let path = (up + parts[common...]).joined(separator: "/")
        return up.isEmpty ? "./" + path : path
    }

    /// A tag or property map without the ownership markers; nil when nothing else is left.
    static func withoutMarkers(_ value: JSONValue?) -> JSONValue? {
        guard var members = value?.objectValue else { return value }
        members[OwnershipMarker.productKey] = nil
        members[OwnershipMarker.targetKey] = nil
        return members.isEmpty ? nil : .object(members)
    }

    /// Genie spaces: `serialized_space` into the `.geniespace.json` file (or the inline value).
    mutating func captureGenieSpace(_ resource: Resource, desired: JSONValue?, live: JSONValue?) throws {
        guard let source = product.resourceSource(resource.key) else {
            notCaptured.append("\(resource.key): no declaration found in the bundle")
            return
        }
        guard let reference = product.interpolate(source.node, target: target)["file_path"]?.text else {
            try mergeField(resource.key, "serialized_space", live: live)
            return
        }
        guard let path = Product.productPath(reference, relativeTo: source.file) else {
            notCaptured.append("\(resource.key): file_path '\(reference)' leaves the product")
            return
        }
        let written = try JSONValue(parsing: product.fileSource.read(path))
        let resolved = product.interpolate(
            YAMLNode(json: written, location: SourceLocation(path: path)), target: target
        )
        .jsonValue
        let liveSpace = Self.withoutFilledIn(live, desired: desired, resolved: resolved)
        let merged = TemplateMerge.merge(written: written, resolved: resolved, live: liveSpace, unordered: ["tables"])
        guard let merged, merged != written else { return }
        let text = String(decoding: try product.fileSource.read(path), as: UTF8.self)
        wholeFiles[path] = Data(JSONTextPatch.apply(text: text, to: merged).utf8)
        for table in liveSpace?.value(at: [.key("data_sources"), .key("tables")])?.arrayValue ?? [] {
            let original = (resolved.value(at: [.key("data_sources"), .key("tables")])?.arrayValue ?? []).first {
                $0["identifier"] == table["identifier"]
            }
            for key in ["description", "column_configs"] where table[key] != nil && original?[key] == nil {
                notes.append(
                    "\(path): the space holds its own \(key) for \(table["identifier"]?.stringValue ?? "a table"), "
                        + "not the one the contracts give; remove it from the file to derive it from the contracts again"
                )
            }
        }
    }

    /// The live space without the table and column descriptions the renderer fills in from the contracts, where
    /// the file leaves them out and the live value is still the filled-in one.
    static func withoutFilledIn(_ live: JSONValue?, desired: JSONValue?, resolved: JSONValue) -> JSONValue? {
        let path: [PathStep] = [.key("data_sources"), .key("tables")]
        guard let live, let tables = live.value(at: path)?.arrayValue else { return live }
        func byIdentifier(_ value: JSONValue?) -> [JSONValue: JSONValue] {
            var map: [JSONValue: JSONValue] = [:]
            for item in value?.value(at: path)?.arrayValue ?? [] { if let id = item["identifier"] { map[id] = item } }
            return map
        }
        let wanted = byIdentifier(desired)
        let written = byIdentifier(resolved)
        let kept = tables.map { table -> JSONValue in
            guard let id = table["identifier"], let filled = wanted[id], let original = written[id] else {
                return table
            }
            var result = table
            for key in ["description", "column_configs"] where original[key] == nil && table[key] == filled[key] {
                result = result.setting([.key(key)], to: nil)
            }
            return result
        }
        return live.setting(path, to: .array(kept))
    }
}
