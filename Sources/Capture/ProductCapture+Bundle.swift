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
}
