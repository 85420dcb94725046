import Descriptors
import Foundation
import LakegateCore

extension ProductCapture {
    static let notebookExtensions = ["PYTHON": ".py", "SQL": ".sql", "SCALA": ".scala", "R": ".r"]

    /// Jobs built in the workspace (``WorkspaceFootprint/jobs``): a new `resources.jobs` entry in the file that
    /// declares the product's jobs (or `databricks.yml`), its notebooks written under `src/` and referenced relative
    /// to that file. A job the bundle cannot declare (a task that is not a notebook task, a notebook outside the
    /// bundle root's `src/`, a setting Lakegate does not manage) is listed as not captured, with nothing written.
    mutating func captureNewJobs() throws {
        let file =
            desired.resources.first { $0.kind == .job }.flatMap { product.resourceSource($0.key)?.file }
            ?? ProductLoader.bundleFile
        var keys: Set<String> = []
        for job in footprint.jobs.sorted(by: { $0.name < $1.name }) {
            let settings = job.fields["settings"]?.objectValue ?? [:]
            let name = settings["name"]?.stringValue ?? job.name
            let what = "job '\(name)' (id \(job.id))"
            let key = Self.resourceKey(name)
            guard product.resourceSource("jobs.\(key)") == nil, desired.resource(forKey: "jobs.\(key)") == nil,
                keys.insert(key).inserted
            else {
                notCaptured.append("\(what): the bundle already declares a job '\(key)': rename one of them")
                continue
            }
            var problems: [String] = []
            var body: [String: JSONValue] = [:]
            for (field, value) in settings.sorted(by: { $0.key < $1.key }) {
                switch field {
                case "tags":
                    var tags = Self.withoutMarkers(value)?.objectValue ?? [:]
                    if product.isDevelopment(target: target) { tags["dev"] = nil }
                    if !tags.isEmpty { body["tags"] = .object(tags) }
                case "schedule", "trigger": body[field] = schedule(value)
                case "tasks": break
                case _ where Product.jobSettingKeys.contains(field): body[field] = value
                default: problems.append("the setting '\(field)' is not one a bundle job of Lakegate declares")
                }
            }
            var notebooks: [String: WorkspaceFile] = [:]
            var tasks: [JSONValue] = []
            for task in settings["tasks"]?.arrayValue ?? [] {
                let taskKey = task["task_key"]?.stringValue ?? "?"
                for field in (task.objectValue ?? [:]).keys.sorted() where !Product.jobTaskKeys.contains(field) {
                    problems.append("task '\(taskKey)' has '\(field)' (Lakegate jobs run notebook tasks)")
                }
                guard var notebook = task["notebook_task"]?.objectValue,
                    let path = notebook["notebook_path"]?.stringValue
                else {
                    problems.append("task '\(taskKey)' is not a notebook task")
                    continue
                }
                guard let source = notebookSource(path) else {
                    problems.append(
                        "task '\(taskKey)' runs \(path), which is not a notebook under the bundle root's files/src/")
                    continue
                }
                notebooks[source.path] = source.file
                if notebook["source"] == .string("WORKSPACE") { notebook["source"] = nil }
                notebook["notebook_path"] = .string(Self.relativePath(from: file, to: source.path))
                tasks.append(task.setting([.key("notebook_task")], to: .object(notebook)))
            }
            guard problems.isEmpty, !tasks.isEmpty else {
                if tasks.isEmpty && problems.isEmpty { problems.append("it has no tasks") }
                notCaptured.append("\(what): \(problems.joined(separator: "; ")): declare it by hand")
                continue
            }
            body["tasks"] = .array(tasks)
            let permissions = (job.fields["permissions"]?.arrayValue ?? []).map { entry -> JSONValue in
                var object: [String: JSONValue] = ["level": entry["permission_level"] ?? .null]
                if let type = entry["principal_type"]?.stringValue { object[type] = entry["principal"] }
                return .object(object)
            }
            if !permissions.isEmpty { body["permissions"] = .array(permissions) }
            try set(file, ["resources", "jobs", key].steps, to: .object(body))
            captured.append(job)
            for (path, notebook) in notebooks.sorted(by: { $0.key < $1.key }) { writeNotebook(notebook, to: path) }
            notes.append("jobs.\(key): the \(what) built in the workspace, in \(file); the next plan adopts it")
        }
    }

    /// The product file for the workspace notebook at `path` under the bundle root's `files/src/`: the same path
    /// under `src/` with the extension of its language (or without one, when the product has that file).
    func notebookSource(_ path: String) -> (path: String, file: WorkspaceFile)? {
        let normalized = WorkspaceFile.normalized(path)
        guard
            let file = footprint.files.first(where: {
                WorkspaceFile.normalized($0.path) == normalized && $0.language != nil
            }),
            let relative = filesRelativePath(normalized), relative.hasPrefix(ProductLoader.sourceDirectory + "/"),
            let ext = Self.notebookExtensions[file.language ?? ""]
        else { return nil }
        // The exported source has the extension of its language (never a Jupyter file's format).
        return (product.sourceFiles.contains(relative) ? relative : relative + ext, file)
    }

    /// `path` (normalized) relative to the bundle root's `files/` folder, or nil when it is not under it.
    func filesRelativePath(_ path: String) -> String? {
        guard let root = product.workspaceRootPath(target: target) else { return nil }
        let prefix = WorkspaceFile.normalized(root) + "/files/"
        guard path.hasPrefix(prefix) else { return nil }
        let relative = String(path.dropFirst(prefix.count))
        return relative.isEmpty || relative.split(separator: "/").contains("..") ? nil : relative
    }

    /// Writes a notebook into the product and records it for the plan check as the deployed notebook it is.
    mutating func writeNotebook(_ file: WorkspaceFile, to path: String) {
        wholeFiles[path] = file.content
        var fields: [String: JSONValue] = [
            "path": .string(file.path), "sha256": .string(SHA256Digest.hex(of: Array(file.content))),
            "source": .string(path),
        ]
        fields["language"] = file.language.map { .string($0) }
        captured.append(
            LiveResource(
                kind: .notebook, key: "notebooks.\(path)", name: file.path, id: file.path, fields: fields,
                ownedMarker: false))
    }

    /// Notebooks and files under the bundle root's `files/src/` that the product does not hold as they are (new
    /// ones, or changed ones no job runs): written to the same path under `src/`. Anything else under `files/` is
    /// listed as not captured: the product's sources live in `src/`, and its other files are its definition.
    mutating func captureWorkspaceFiles() {
        let deployed = Set(
            desired.resources.filter { $0.kind == .notebook }.map { WorkspaceFile.normalized($0.name) })
        for file in footprint.files.sorted(by: { $0.path < $1.path }) {
            let normalized = WorkspaceFile.normalized(file.path)
            // Notebooks a product job runs are compared by the snapshot; those of new jobs are written with them.
            guard !deployed.contains(normalized), let relative = filesRelativePath(normalized)
            else { continue }
            guard relative.hasPrefix(ProductLoader.sourceDirectory + "/") else {
                notCaptured.append(
                    "\(file.path): under the bundle root but outside files/\(ProductLoader.sourceDirectory)/; capture "
                        + "writes notebooks and files into \(ProductLoader.sourceDirectory)/ only")
                continue
            }
            let path: String
            if file.language != nil {
                guard let source = notebookSource(file.path) else { continue }
                path = source.path
            } else {
                path = relative
            }
            if wholeFiles[path] != nil { continue }
            if product.fileSource.exists(path), (try? product.fileSource.read(path)) == file.content { continue }
            let kind = file.language == nil ? "file" : "notebook"
            notes.append(
                "\(path): the \(kind) \(file.path) "
                    + (product.fileSource.exists(path) ? "as changed in the workspace" : "built in the workspace")
                    + "; no job of the product runs it, so apply does not deploy it")
            wholeFiles[path] = file.content
        }
    }
}
