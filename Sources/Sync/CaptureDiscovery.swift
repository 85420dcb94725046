import Capture
import Databricks
import Descriptors
import Foundation
import LakegateCore

/// Finds the objects of a product's dev footprint that neither its files nor the live snapshot hold, for capture:
/// jobs that carry the product's markers or run a notebook under its bundle root, the notebooks and files under the
/// bundle root's `files/`, quality monitors on its tables, shares that publish its tables, and what `--include`
/// names. (Tables, volumes and functions in its schemas come with the snapshot.)
///
/// Unlike planning, this lists the workspace's jobs and shares: capture is run by a person, once, and what it
/// does not look at it cannot report. A read that fails is listed as not captured, never taken as "nothing there".
struct CaptureDiscovery {
    let client: DatabricksClient
    let product: Product
    let target: String
    let desired: DesiredState
    let snapshot: LiveSnapshot
    let includes: [CaptureInclude]
    /// At most this many workspace objects are read under the bundle root.
    var maxFiles = 2000

    /// - Throws: ``CaptureError`` when an object named with `--include` does not exist.
    func run() async throws -> WorkspaceFootprint {
        var footprint = WorkspaceFootprint()
        let root = product.workspaceRootPath(target: target).map(WorkspaceFile.normalized)
        try await discoverJobs(into: &footprint, root: root)
        if let root { await discoverFiles(under: root + "/files", into: &footprint) }
        try await discoverMonitors(into: &footprint)
        try await discoverShares(into: &footprint)
        return footprint
    }

    func names(_ kind: CaptureInclude.Kind) -> [String] { includes.filter { $0.kind == kind }.map(\.name) }

    func discoverJobs(into footprint: inout WorkspaceFootprint, root: String?) async throws {
        let listed: [JSONValue]
        do {
            listed = try await client.listJobs(expandTasks: true)
        } catch {
            footprint.notCaptured.append(
                "jobs: the workspace's jobs could not be listed, so new jobs are not captured: \(error)")
            if !names(.job).isEmpty { throw CaptureError("--include job: the jobs could not be listed: \(error)") }
            return
        }
        let known = Set(snapshot.resources.values.filter { $0.kind == .job }.map(\.id) + snapshot.duplicates.map(\.id))
        let desiredNames = Set(desired.resources.filter { $0.kind == .job }.map(\.name))
        let included = Set(names(.job))
        var seenIncluded: Set<String> = []
        for job in listed {
            guard let id = job["job_id"]?.intValue, let settings = job["settings"],
                let name = settings["name"]?.stringValue
            else { continue }
            if included.contains(name) { seenIncluded.insert(name) }
            guard !known.contains(String(id)), !desiredNames.contains(name) else { continue }
            let tags = settings["tags"]?.objectValue ?? [:]
            let markedProduct = tags[OwnershipMarker.productKey]?.stringValue
            // Another product's job (or this product's in another target) is not ours to capture.
            if let markedProduct, markedProduct != product.id || tags[OwnershipMarker.targetKey]?.stringValue != target
            {
                if included.contains(name) {
                    footprint.notCaptured.append("job '\(name)' (id \(id)): it carries the markers of \(markedProduct)")
                }
                continue
            }
            let paths = (settings["tasks"]?.arrayValue ?? []).compactMap {
                $0["notebook_task"]?["notebook_path"]?.stringValue
            }
            let underRoot =
                root.map { root in paths.contains { WorkspaceFile.normalized($0).hasPrefix(root + "/") } } ?? false
            guard markedProduct != nil || underRoot || included.contains(name) else { continue }
            do {
                async let permissions = client.getJobPermissions(id)
                let full = try await client.getJob(id)
                let canonical = Canonical.jobSettings(full["settings"] ?? settings)
                var fields: [String: JSONValue] = ["settings": canonical]
                fields["permissions"] = Canonical.jobPermissions(try await permissions)
                footprint.jobs.append(
                    LiveResource(
                        kind: .job, key: "jobs.\(id)", name: name, id: String(id), fields: fields,
                        ownedMarker: markedProduct != nil))
                for path in Set(paths) where root.map({ WorkspaceFile.normalized(path).hasPrefix($0 + "/") }) ?? false {
                    if let file = await readNotebook(path, into: &footprint) { footprint.files.append(file) }
                }
            } catch {
                footprint.notCaptured.append("job '\(name)' (id \(id)): not read, so not captured: \(error)")
            }
        }
        for name in included.subtracting(seenIncluded).sorted() {
            throw CaptureError("--include job:\(name): no job is named exactly '\(name)' in the workspace")
        }
    }

    func readNotebook(_ path: String, into footprint: inout WorkspaceFootprint) async -> WorkspaceFile? {
        do {
            let status = try await client.getWorkspaceStatus(path: path)
            guard status["object_type"]?.stringValue == "NOTEBOOK" else { return nil }
            let bytes = try await client.exportWorkspaceObject(path: path)
            return WorkspaceFile(path: path, language: status["language"]?.stringValue, content: Data(bytes))
        } catch {
            footprint.notCaptured.append("\(path): not read, so not captured: \(error)")
            return nil
        }
    }

    /// Every notebook and file under `folder`, depth first; the notebooks the product deploys are left to the
    /// snapshot.
    func discoverFiles(under folder: String, into footprint: inout WorkspaceFootprint) async {
        let deployed = Set(desired.resources.filter { $0.kind == .notebook }.map { WorkspaceFile.normalized($0.name) })
        let already = Set(footprint.files.map { WorkspaceFile.normalized($0.path) })
        var folders = [folder]
        var count = 0
        while let next = folders.popLast() {
            let objects: [JSONValue]
            do {
                objects = try await client.listWorkspace(path: next)
            } catch let error as DatabricksError where error.kind == .notFound {
                continue
            } catch {
                footprint.notCaptured.append("\(next): not listed, so what it holds is not captured: \(error)")
                continue
            }
            for object in objects {
                guard let path = object["path"]?.stringValue else { continue }
                let normalized = WorkspaceFile.normalized(path)
                switch object["object_type"]?.stringValue {
                case "DIRECTORY": folders.append(path)
                case "NOTEBOOK", "FILE":
                    guard !deployed.contains(normalized), !already.contains(normalized) else { continue }
                    count += 1
                    guard count <= maxFiles else {
                        if count == maxFiles + 1 {
                            footprint.notCaptured.append(
                                "\(folder): more than \(maxFiles) notebooks and files; the rest are not captured")
                        }
                        continue
                    }
                    do {
                        let bytes = try await client.exportWorkspaceObject(path: path)
                        let language =
                            object["object_type"]?.stringValue == "NOTEBOOK" ? object["language"]?.stringValue : nil
                        footprint.files.append(WorkspaceFile(path: path, language: language, content: Data(bytes)))
                    } catch {
                        footprint.notCaptured.append("\(path): not read, so not captured: \(error)")
                    }
                default:
                    continue
                }
            }
        }
    }

    /// The monitor of every product table (and of every table built in its schemas) that the files do not
    /// monitor, and of every table named with `--include monitor:`.
    func discoverMonitors(into footprint: inout WorkspaceFootprint) async throws {
        let monitored = Set(desired.resources.filter { $0.kind == .qualityMonitor }.map { $0.name.lowercased() })
        var tables = desired.resources.filter { $0.kind == .table }.map { $0.name.lowercased() }
        tables += snapshot.unclaimedTables.map(\.name)
        let included = Set(names(.monitor).map { $0.lowercased() })
        tables += included
        for table in Set(tables).sorted() where !monitored.contains(table) {
            do {
                let info = try await client.getQualityMonitor(table: table)
                footprint.monitors.append(
                    LiveResource(
                        kind: .qualityMonitor, key: "quality_monitors.\(table)", name: table, id: table,
                        fields: Canonical.qualityMonitor(info), ownedMarker: false))
            } catch let error as DatabricksError where error.kind == .notFound {
                if included.contains(table) {
                    throw CaptureError(
                        "--include monitor:\(table): the table has no quality monitor (or does not exist)")
                }
            } catch {
                footprint.notCaptured.append("the quality monitor of \(table): not read, so not captured: \(error)")
            }
        }
    }

    /// Shares the files do not name that publish one of the product's tables, or that `--include share:` names,
    /// with the recipients they grant to.
    func discoverShares(into footprint: inout WorkspaceFootprint) async throws {
        let included = Set(names(.share).map { $0.lowercased() })
        let named = Set(desired.resources.filter { $0.kind == .share }.map { $0.name.lowercased() })
        let productTables = Set(
            desired.resources.filter { $0.kind == .table }.map { $0.name.lowercased() }
                + snapshot.unclaimedTables.map(\.name))
        let listed: [JSONValue]
        do {
            listed = try await client.listShares()
        } catch {
            footprint.notCaptured.append(
                "shares: the shares could not be listed, so new shares are not captured: \(error)")
            if !included.isEmpty { throw CaptureError("--include share: the shares could not be listed: \(error)") }
            return
        }
        let names = Set(listed.compactMap { $0["name"]?.stringValue?.lowercased() })
        for name in included.subtracting(names).sorted() {
            throw CaptureError("--include share:\(name): no share of that name in the workspace")
        }
        let recipients = Set(desired.resources.filter { $0.kind == .recipient }.map { $0.name.lowercased() })
        for name in names.subtracting(named).sorted() {
            do {
                let info = try await client.getShare(name)
                let objects = (info["objects"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue?.lowercased() }
                guard included.contains(name) || objects.contains(where: productTables.contains) else { continue }
                let permissions = try await client.getSharePermissions(name)
                let fields = Canonical.share(info, permissions: permissions)
                footprint.shares.append(
                    LiveResource(
                        kind: .share, key: "shares.\(name)", name: name, id: name, fields: fields, ownedMarker: false))
                for entry in permissions {
                    guard let principal = entry["principal"]?.stringValue?.lowercased(),
                        !recipients.contains(principal),
                        !footprint.recipients.contains(where: { $0.name == principal })
                    else { continue }
                    do {
                        let recipient = try await client.getRecipient(principal)
                        footprint.recipients.append(
                            LiveResource(
                                kind: .recipient, key: "recipients.\(principal)", name: principal, id: principal,
                                fields: Canonical.recipient(recipient), ownedMarker: false))
                    } catch let error as DatabricksError where error.kind == .notFound {
                        continue  // not a recipient: the share capture lists the grant
                    }
                }
            } catch {
                footprint.notCaptured.append("the share \(name): not read, so not captured: \(error)")
            }
        }
    }
}
