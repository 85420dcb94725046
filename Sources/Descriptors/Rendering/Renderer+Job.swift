import Foundation
import LakegateCore

extension Renderer {
    static let jobKeys = [
        "name", "description", "tasks", "schedule", "trigger", "tags", "parameters", "permissions",
        "max_concurrent_runs", "timeout_seconds", "email_notifications", "job_clusters", "environments", "queue",
        "health",
    ]
    static let taskKeys = [
        "task_key", "description", "depends_on", "notebook_task", "existing_cluster_id", "job_cluster_key",
        "environment_key", "timeout_seconds", "max_retries", "min_retry_interval_millis", "retry_on_timeout", "run_if",
        "email_notifications", "libraries", "new_cluster",
    ]
    static let notebookTaskKeys = ["notebook_path", "base_parameters", "source", "warehouse_id"]
    static let permissionLevels = ["CAN_VIEW", "CAN_MANAGE_RUN", "CAN_MANAGE", "IS_OWNER"]
    static let notebookLanguages = [".py": "PYTHON", ".sql": "SQL", ".scala": "SCALA", ".r": "R", ".ipynb": "PYTHON"]

    mutating func renderJob(_ source: BundleResource, _ reader: YAMLMappingReader) {
        reader.checkKeys(Self.jobKeys, diagnostics: &diagnostics)
        let name = reader.string("name", required: true, diagnostics: &diagnostics)
        var settings: [String: JSONValue] = [:]
        for pair in reader.pairs where !["tasks", "permissions", "schedule", "trigger", "tags"].contains(pair.key) {
            if !(pair.value.scalar?.isNull ?? false) { settings[pair.key] = pair.value.jsonValue }
        }
        var tags = reader.stringMap("tags", diagnostics: &diagnostics) ?? [:]
        if isDevelopment { tags["dev"] = tags["dev"] ?? "" }
        var tagJSON = tags.mapValues { JSONValue.string($0) }
        tagJSON.merge(markers) { _, marker in marker }
        settings["tags"] = .object(tagJSON)
        if let schedule = reader.mapping("schedule", diagnostics: &diagnostics) {
            schedule.checkKeys(["quartz_cron_expression", "timezone_id", "pause_status"], diagnostics: &diagnostics)
            settings["schedule"] = scheduleJSON(schedule)
        }
        if let trigger = reader["trigger"], case .object(var members) = trigger.jsonValue {
            if isDevelopment { members["pause_status"] = "PAUSED" }
            settings["trigger"] = .object(members)
        }
        var dependsOn: [String] = []
        let tasks = renderTasks(source, reader, dependsOn: &dependsOn)
        settings["tasks"] = .array(tasks)
        let permissions = jobPermissions(reader, context: "job '\(source.key)'")
        guard let name else { return }
        settings["name"] = .string(name)
        add(
            Resource(
                kind: .job, key: "jobs.\(source.key)", name: name,
                fields: ["settings": .object(settings), "permissions": permissions], dependsOn: dependsOn),
            at: source.keyLocation)
    }

    private mutating func renderTasks(
        _ source: BundleResource, _ reader: YAMLMappingReader, dependsOn: inout [String]
    ) -> [JSONValue] {
        guard let items = reader.sequence("tasks", required: true, diagnostics: &diagnostics) else { return [] }
        var tasks: [(String, JSONValue)] = []
        var edges: [String: [String]] = [:]
        var keyLocations: [String: SourceLocation] = [:]
        for item in items {
            guard let task = YAMLMappingReader(item, context: "task of job '\(source.key)'", diagnostics: &diagnostics)
            else { continue }
            task.checkKeys(Self.taskKeys, diagnostics: &diagnostics)
            guard let key = task.string("task_key", required: true, diagnostics: &diagnostics) else { continue }
            if let earlier = keyLocations[key] {
                diagnostics.add(task["task_key"]!.location, "task_key '\(key)' is already used at line \(earlier.line)")
                continue
            }
            keyLocations[key] = task["task_key"]!.location
            var json = task.node.jsonValue.objectValue ?? [:]
            var needs: [String] = []
            for dependency in task.sequence("depends_on", diagnostics: &diagnostics) ?? [] {
                guard let other = dependency["task_key"]?.text else {
                    diagnostics.add(dependency.location, "depends_on entries need a task_key")
                    continue
                }
                needs.append(other)
            }
            edges[key] = needs
            if let notebook = task.mapping(
                "notebook_task", context: "notebook_task of '\(key)'", diagnostics: &diagnostics)
            {
                notebook.checkKeys(Self.notebookTaskKeys, diagnostics: &diagnostics)
                if let path = notebook.string("notebook_path", required: true, diagnostics: &diagnostics),
                    let workspacePath = notebookResource(path, source: source, at: notebook["notebook_path"]!.location)
                {
                    var notebookJSON = json["notebook_task"]?.objectValue ?? [:]
                    notebookJSON["notebook_path"] = .string(workspacePath.0)
                    notebookJSON["source"] = "WORKSPACE"
                    json["notebook_task"] = .object(notebookJSON)
                    dependsOn.append(workspacePath.1)
                }
            } else {
                diagnostics.add(
                    task.node.location, "task '\(key)' needs a notebook_task (the task type Lakegate supports)")
            }
            tasks.append((key, .object(json)))
        }
        for (key, needs) in edges.sorted(by: { $0.key < $1.key }) {
            for other in needs where edges[other] == nil {
                diagnostics.add(
                    keyLocations[key]!,
                    "task '\(key)' depends on unknown task '\(other)'"
                        + EditDistance.hint(for: other, among: edges.keys))
            }
        }
        if let cycle = Self.findCycle(edges) {
            diagnostics.add(keyLocations[cycle[0]]!, "dependency cycle: tasks \(cycle.joined(separator: " → "))")
        }
        return tasks.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Registers the notebook at `path` (relative to the declaring file) and returns its workspace path and key.
    private mutating func notebookResource(
        _ path: String, source: BundleResource, at location: SourceLocation
    ) -> (String, String)? {
        guard let relative = Self.productPath(path, relativeTo: source.file),
            relative.hasPrefix(ProductLoader.sourceDirectory + "/")
        else {
            diagnostics.add(location, "notebook '\(path)' must be a file under src/")
            return nil
        }
        let candidates = [relative] + Self.notebookLanguages.keys.sorted().map { relative + $0 }
        guard let file = candidates.first(where: { product.sourceFiles.contains($0) }) else {
            diagnostics.add(
                location,
                "notebook '\(path)' not found: no file \(relative) in the product"
                    + EditDistance.hint(for: relative, among: product.sourceFiles))
            return nil
        }
        let ext = file.range(of: ".", options: .backwards).map { String(file[$0.lowerBound...]).lowercased() } ?? ""
        guard let language = Self.notebookLanguages[ext] else {
            diagnostics.add(location, "'\(file)' is not a notebook (.py, .sql, .scala, .r or .ipynb)")
            return nil
        }
        let stem = String(file.dropLast(ext.count))
        let workspacePath = "\(rootPath)/files/\(stem)"
        let key = "notebooks.\(file)"
        if resources[key] == nil {
            // Never a digest of nothing: an unreadable notebook fails the render (the loader says why).
            guard let bytes = try? product.fileSource.read(file) else {
                diagnostics.add(location, "notebook '\(file)' cannot be read, so it cannot be planned")
                return nil
            }
            resources[key] = Resource(
                kind: .notebook, key: key, name: workspacePath,
                fields: [
                    "path": .string(workspacePath), "language": .string(language), "source": .string(file),
                    "sha256": .string(SHA256Digest.hex(of: Array(bytes))),
                ])
            origins[key] = location
        }
        return (workspacePath, key)
    }

    private mutating func jobPermissions(_ reader: YAMLMappingReader, context: String) -> JSONValue {
        var result: [JSONValue] = []
        for item in reader.sequence("permissions", diagnostics: &diagnostics) ?? [] {
            guard let entry = YAMLMappingReader(item, context: "permission of \(context)", diagnostics: &diagnostics)
            else { continue }
            let kinds = ["user_name", "group_name", "service_principal_name"]
            entry.checkKeys(["level"] + kinds, diagnostics: &diagnostics)
            let level = entry.oneOf("level", Self.permissionLevels, required: true, diagnostics: &diagnostics)
            let present = kinds.filter { entry[$0] != nil }
            guard present.count == 1, let type = present.first else {
                diagnostics.add(
                    item.location, "a permission needs exactly one of user_name, group_name, service_principal_name")
                continue
            }
            guard let level, let principal = entry.string(type, required: true, diagnostics: &diagnostics) else {
                continue
            }
            result.append([
                "principal": .string(principal), "principal_type": .string(type), "permission_level": .string(level),
            ])
        }
        return .array(result.sorted { $0.canonicalJSON < $1.canonicalJSON })
    }

    /// A cycle in `edges` (node → nodes it needs), as a path that ends where it starts.
    static func findCycle(_ edges: [String: [String]]) -> [String]? {
        var state: [String: Int] = [:]
        var stack: [String] = []
        func visit(_ node: String) -> [String]? {
            state[node] = 1
            stack.append(node)
            for next in edges[node] ?? [] where edges[next] != nil {
                if state[next] == 1 { return Array(stack[stack.firstIndex(of: next)!...]) + [next] }
                if state[next] == nil, let cycle = visit(next) { return cycle }
            }
            stack.removeLast()
            state[node] = 2
            return nil
        }
        for node in edges.keys.sorted() where state[node] == nil {
            if let cycle = visit(node) { return cycle }
        }
        return nil
    }
}
