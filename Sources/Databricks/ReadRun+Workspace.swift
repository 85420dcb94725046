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

    func readRecipients(_ wanted: [LiveStateReader.Wanted]) async {
        guard let list = await attempt("list recipients", { try await self.client.listRecipients() }) else { return }
        let byName = Dictionary(list.compactMap { info in info["name"]?.stringValue.map { ($0.lowercased(), info) } }) {
            a, _ in a
        }
        for item in wanted {
            guard let info = byName[item.name] else {
                missing(item.key)
                continue
            }
            found(
                LiveResource(
                    kind: .recipient, key: item.key, name: item.name, id: item.name, fields: Canonical.recipient(info),
                    ownedMarker: item.liveID != nil))
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

    /// One job listing (paged), matched by inventory id, then name; plus jobs tagged with the markers.
    func readJobs(_ wanted: [LiveStateReader.Wanted]) async {
        guard let list = await attempt("list jobs", { try await self.client.listJobs(expandTasks: false) }) else {
            return
        }
        var matches: [(key: String, id: Int64, name: String, owned: Bool, inventory: Bool)] = []
        var claimed: Set<Int64> = []
        var unmatched: [LiveStateReader.Wanted] = []
        let byID = Dictionary(list.compactMap { job in job["job_id"]?.intValue.map { ($0, job) } }) { a, _ in a }
        for item in wanted {
            if let text = item.liveID, let id = Int64(text), byID[id] != nil {
                claimed.insert(id)
                matches.append((item.key, id, item.name, false, true))
            } else {
                unmatched.append(item)
            }
        }
        for item in unmatched {
            let candidates = list.filter { job in
                guard let id = job["job_id"]?.intValue, !claimed.contains(id) else { return false }
                return job["settings"]?["name"]?.stringValue == item.name
            }
            // Prefer the one carrying our markers when names collide (job names are not unique).
            let pick =
                candidates.first { job in
                    let tags = job["settings"]?["tags"]?.objectValue ?? [:]
                    return tags[OwnershipMarker.productKey]?.stringValue == product
                        && tags[OwnershipMarker.targetKey]?.stringValue == target
                } ?? candidates.first
            if let pick, let id = pick["job_id"]?.intValue {
                claimed.insert(id)
                matches.append((item.key, id, item.name, false, item.liveID != nil))
            } else {
                missing(item.key)
            }
        }
        for job in list {
            guard let id = job["job_id"]?.intValue, !claimed.contains(id) else { continue }
            let tags = job["settings"]?["tags"]?.objectValue ?? [:]
            if tags[OwnershipMarker.productKey]?.stringValue == product,
                tags[OwnershipMarker.targetKey]?.stringValue == target
            {
                let name = job["settings"]?["name"]?.stringValue ?? String(id)
                matches.append(("jobs.\(name)", id, name, true, false))
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for match in matches {
                group.addTask {
                    do {
                        async let job = self.client.getJob(match.id)
                        async let permissions = self.client.getJobPermissions(match.id)
                        let settings = Canonical.jobSettings((try await job)["settings"] ?? .object([:]))
                        var fields: [String: JSONValue] = ["settings": settings]
                        Canonical.put(&fields, "permissions", Canonical.jobPermissions(try await permissions))
                        let tags = settings["tags"]?.objectValue ?? [:]
                        let owned =
                            tags[OwnershipMarker.productKey]?.stringValue == self.product
                            && tags[OwnershipMarker.targetKey]?.stringValue == self.target
                        await self.found(
                            LiveResource(
                                kind: .job, key: match.key, name: settings["name"]?.stringValue ?? match.name,
                                id: String(match.id), fields: fields, ownedMarker: owned))
                    } catch let error as DatabricksError where error.kind == .notFound {
                        await self.missing(match.key)
                    } catch {
                        await self.failed("read job \(match.id)", error)
                    }
                }
            }
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
