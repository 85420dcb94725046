import Foundation
import LakegateCore

/// Reads of the kinds outside the catalog tree: recipients, shares, jobs, notebooks, Genie spaces.
extension ReadRun {
    func readNonUnityCatalog(_ byKind: [ResourceKind: [LiveStateReader.Wanted]]) async {
        await withTaskGroup(of: Void.self) { group in
            if let recipients = byKind[.recipient] { group.addTask { await self.readRecipients(recipients) } }
            if let shares = byKind[.share] { group.addTask { await self.readShares(shares) } }
            if let jobs = byKind[.job] { group.addTask { await self.readJobs(jobs) } }
            if let notebooks = byKind[.notebook] { group.addTask { await self.readNotebooks(notebooks) } }
            if let spaces = byKind[.genieSpace] { group.addTask { await self.readGenieSpaces(spaces) } }
        }
    }

    /// Each recipient by `GET recipients/{name}`, in parallel.
    func readRecipients(_ wanted: [LiveStateReader.Wanted]) async {
        await withTaskGroup(of: Void.self) { group in
            for item in wanted {
                group.addTask {
                    let result = await self.lookup("read recipient \(item.name)") {
                        try await self.client.getRecipient(item.name)
                    }
                    switch result {
                    case .found(let info):
                        await self.found(
                            LiveResource(
                                kind: .recipient, key: item.key, name: item.name, id: item.name,
                                fields: Canonical.recipient(info), ownedMarker: item.liveID != nil))
                    case .absent: await self.missing(item.key)
                    case .failed: break
                    }
                }
            }
        }
    }

    func readShares(_ wanted: [LiveStateReader.Wanted]) async {
        await withTaskGroup(of: Void.self) { group in
            for item in wanted {
                group.addTask {
                    do {
                        async let info = self.client.getShare(item.name)
                        async let permissions = self.client.getSharePermissions(item.name)
                        let fields = Canonical.share(try await info, permissions: try await permissions)
                        await self.found(
                            LiveResource(
                                kind: .share, key: item.key, name: item.name, id: item.name, fields: fields,
                                ownedMarker: item.liveID != nil))
                    } catch let error as DatabricksError where error.kind == .notFound {
                        await self.missing(item.key)
                    } catch {
                        await self.failed("read share \(item.name)", error)
                    }
                }
            }
        }
    }

    /// Jobs the inventory records by `jobs/get` on their id; the others, and those whose recorded id is gone, by
    /// the Jobs API's exact-name filter (job names are not unique: the one carrying this product's markers wins, so
    /// a marked job the inventory lost is adopted).
    func readJobs(_ wanted: [LiveStateReader.Wanted]) async {
        var byID: [(item: LiveStateReader.Wanted, id: Int64)] = []
        var unmatched: [LiveStateReader.Wanted] = []
        for item in wanted {
            if let text = item.liveID, let id = Int64(text) { byID.append((item, id)) } else { unmatched.append(item) }
        }
        var claimed: Set<Int64> = []
        var known: [(item: LiveStateReader.Wanted, id: Int64, job: JSONValue)] = []
        await withTaskGroup(of: (LiveStateReader.Wanted, Int64, Lookup).self) { group in
            for (item, id) in byID {
                group.addTask { (item, id, await self.lookup("read job \(id)") { try await self.client.getJob(id) }) }
            }
            for await (item, id, result) in group {
                switch result {
                case .found(let job):
                    claimed.insert(id)
                    known.append((item, id, job))
                case .absent: unmatched.append(item)
                case .failed: break
                }
            }
        }
        // One filtered listing per name (known jobs too, for their duplicates); picked in a fixed order so two keys
        // never take the same job.
        let names = Set(wanted.map(\.name))
        let listed = await withTaskGroup(of: (String, [JSONValue]?).self) { group in
            for name in names {
                group.addTask {
                    (
                        name,
                        await self.attempt("list jobs named \(name)") {
                            try await self.client.listJobs(name: name, expandTasks: false)
                        }
                    )
                }
            }
            var all: [String: [JSONValue]] = [:]
            for await (name, list) in group { if let list { all[name] = list } }
            return all
        }
        var matches: [(item: LiveStateReader.Wanted, id: Int64)] = []
        for item in unmatched.sorted(by: { $0.key < $1.key }) {
            guard let list = listed[item.name] else { continue }
            // The filter ignores case; names match exactly.
            let candidates = list.filter { job in
                guard let id = job["job_id"]?.intValue, !claimed.contains(id) else { return false }
                return job["settings"]?["name"]?.stringValue == item.name
            }
            let pick =
                candidates.first { job in
                    let tags = job["settings"]?["tags"]?.objectValue ?? [:]
                    return tags[OwnershipMarker.productKey]?.stringValue == product
                        && tags[OwnershipMarker.targetKey]?.stringValue == target
                } ?? candidates.first
            if let id = pick?["job_id"]?.intValue {
                claimed.insert(id)
                matches.append((item, id))
            } else {
                missing(item.key)
            }
        }
        reportDuplicateJobs(
            known.map { ($0.item, $0.id) } + matches, listed: listed, claimed: claimed)
        await withTaskGroup(of: Void.self) { group in
            for match in known { group.addTask { await self.emitJob(match.item, id: match.id, job: match.job) } }
            for match in matches { group.addTask { await self.emitJob(match.item, id: match.id, job: nil) } }
        }
    }

    /// Jobs named exactly like a job found for a key but not claimed by any key: duplicates, marked owned when they
    /// carry this product's and target's tags (only those may be removed).
    func reportDuplicateJobs(
        _ found: [(item: LiveStateReader.Wanted, id: Int64)], listed: [String: [JSONValue]], claimed: Set<Int64>
    ) {
        for (item, _) in found {
            for job in listed[item.name] ?? [] {
                guard let id = job["job_id"]?.intValue, !claimed.contains(id),
                    job["settings"]?["name"]?.stringValue == item.name
                else { continue }
                let tags = job["settings"]?["tags"]?.objectValue ?? [:]
                foundDuplicate(
                    LiveResource(
                        kind: .job, key: item.key, name: item.name, id: String(id), fields: [:],
                        ownedMarker: tags[OwnershipMarker.productKey]?.stringValue == product
                            && tags[OwnershipMarker.targetKey]?.stringValue == target))
            }
        }
    }

    /// Reads the job's permissions (and the job, unless given) and records it.
    func emitJob(_ item: LiveStateReader.Wanted, id: Int64, job known: JSONValue?) async {
        do {
            async let permissions = client.getJobPermissions(id)
            let job: JSONValue
            if let known { job = known } else { job = try await client.getJob(id) }
            let settings = Canonical.jobSettings(job["settings"] ?? .object([:]))
            var fields: [String: JSONValue] = ["settings": settings]
            Canonical.put(&fields, "permissions", Canonical.jobPermissions(try await permissions))
            let tags = settings["tags"]?.objectValue ?? [:]
            let owned =
                tags[OwnershipMarker.productKey]?.stringValue == product
                && tags[OwnershipMarker.targetKey]?.stringValue == target
            found(
                LiveResource(
                    kind: .job, key: item.key, name: settings["name"]?.stringValue ?? item.name, id: String(id),
                    fields: fields, ownedMarker: owned))
        } catch let error as DatabricksError where error.kind == .notFound {
            missing(item.key)
        } catch {
            failed("read job \(id)", error)
        }
    }

    /// One directory listing per parent folder, then an export per notebook found (for its digest).
    func readNotebooks(_ wanted: [LiveStateReader.Wanted]) async {
        let byParent = Dictionary(grouping: wanted) { item in
            String(item.name[..<(item.name.lastIndex(of: "/") ?? item.name.startIndex)])
        }
        await withTaskGroup(of: Void.self) { group in
            for (parent, items) in byParent {
                group.addTask {
                    let objects: [JSONValue]
                    do {
                        objects = try await self.client.listWorkspace(path: parent.isEmpty ? "/" : parent)
                    } catch let error as DatabricksError where error.kind == .notFound {
                        for item in items { await self.missing(item.key) }
                        return
                    } catch {
                        await self.failed("list workspace folder \(parent)", error)
                        return
                    }
                    // The API lists `/Workspace/Shared/x` as `/Shared/x`: compare without the prefix.
                    let byPath = Dictionary(
                        objects.compactMap { o in o["path"]?.stringValue.map { (Self.workspacePath($0), o) } }
                    ) { a, _ in a }
                    for item in items {
                        guard let info = byPath[Self.workspacePath(item.name)],
                            info["object_type"]?.stringValue == "NOTEBOOK"
                        else {
                            await self.missing(item.key)
                            continue
                        }
                        do {
                            let bytes = try await self.client.exportWorkspaceObject(path: item.name)
                            var fields: [String: JSONValue] = [
                                "path": .string(item.name),
                                "sha256": .string(SHA256Digest.hex(of: bytes)),
                            ]
                            Canonical.put(&fields, "language", info["language"])
                            // The product-relative source file is not stored in the workspace.
                            Canonical.put(&fields, "source", item.desired?.fields["source"])
                            await self.found(
                                LiveResource(
                                    kind: .notebook, key: item.key, name: item.name,
                                    id: info["object_id"].map { $0.intValue.map(String.init) ?? $0.canonicalJSON }
                                        ?? item.name, fields: fields, ownedMarker: item.liveID != nil))
                        } catch let error as DatabricksError where error.kind == .notFound {
                            await self.missing(item.key)
                        } catch {
                            await self.failed("export notebook \(item.name)", error)
                        }
                    }
                }
            }
        }
    }

    /// `path` without the `/Workspace` prefix the file-system view of the workspace adds.
    static func workspacePath(_ path: String) -> String {
        if path == "/Workspace" { return "/" }
        return path.hasPrefix("/Workspace/") ? String(path.dropFirst("/Workspace".count)) : path
    }

    /// Spaces by inventory id; spaces without one are found by title in one listing.
    func readGenieSpaces(_ wanted: [LiveStateReader.Wanted]) async {
        var ids: [(LiveStateReader.Wanted, String)] = []
        let withoutID = wanted.filter { $0.liveID == nil }
        if !withoutID.isEmpty {
            guard let list = await attempt("list Genie spaces", { try await self.client.listGenieSpaces() }) else {
                return
            }
            for item in withoutID {
                if let space = list.first(where: { $0["title"]?.stringValue == item.name }),
                    let id = space["space_id"]?.stringValue
                {
                    ids.append((item, id))
                } else {
                    missing(item.key)
                }
            }
        }
        ids += wanted.compactMap { item in item.liveID.map { (item, $0) } }
        await withTaskGroup(of: Void.self) { group in
            for (item, id) in ids {
                group.addTask {
                    do {
                        let info = try await self.client.getGenieSpace(id)
                        await self.found(
                            LiveResource(
                                kind: .genieSpace, key: item.key, name: info["title"]?.stringValue ?? item.name, id: id,
                                fields: Canonical.genieSpace(info), ownedMarker: item.liveID != nil,
                                etag: info["etag"]?.stringValue))
                    } catch let error as DatabricksError where error.kind == .notFound {
                        await self.missing(item.key)
                    } catch {
                        await self.failed("read Genie space \(id)", error)
                    }
                }
            }
        }
    }
}
