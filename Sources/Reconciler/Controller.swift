import Databricks
import Foundation
import GitSource
import LakegateCore
import Logging
import OperatorConfig
import Store
import Sync
import Synchronization

/// The controller behind `lakegate serve`: polls each repository once, then reconciles every product in
/// every environment with bounded concurrency, backing off per product after failures.
public actor Controller {
    /// The configuration in force; ``reload(_:)`` replaces it between passes.
    public private(set) var config: OperatorConfig
    /// The watched repository URLs, readable without awaiting the actor (webhooks).
    private let watchedRepositories: Mutex<[String]>
    let store: StateStore
    let logger: Logger
    let metrics: ControllerMetrics
    let environmentVariables: [String: String]
    private var statuses: [String: ProductStatus] = [:]
    private var failures: [String: (count: Int, retryAt: Date)] = [:]
    /// When each waiting product × environment is looked at again, unless its repository changes first.
    private var waits: [String: Date] = [:]
    /// True after the first complete poll (`/readyz`).
    public private(set) var ready = false
    /// Repositories a webhook asked to poll, oldest first.
    private var pendingTriggers: [String] = []
    /// Called after every workspace operation of an apply (the crash failpoint of the end-to-end tests).
    let afterOperation: (@Sendable () -> Void)?
    /// How workspaces are reached.
    let connector: WorkspaceConnector
    /// This replica's place among several sharing PostgreSQL state; nil when it works alone.
    let cluster: ClusterMember?
    /// The repositories this replica owned at its last pass (webhook triggers for them are picked up here).
    private var ownedRepositories: Set<String> = []
    /// The drift clock of each workspace, by host.
    var driftClocks: [String: DriftClock] = [:]
    /// What each `product/target` last came to while in sync: repeated without a read until a drift check forgets it.
    var inSync: [String: InSyncRecord] = [:]
    /// Operator requests to reconcile (and apply) one product in one environment now, by `product/target`
    /// (``requestSync(product:target:)``).
    var syncRequests: [String: [SyncRequest]] = [:]
    /// Set when ``run(until:)`` ends: later requests are answered at once, as no pass will take them.
    var syncRequestsClosed = false

    /// - Parameter connector: how workspaces are reached; libcurl unless a test brings the emulator in process.
    public init(
        config: OperatorConfig, store: StateStore, metrics: ControllerMetrics, logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        afterOperation: (@Sendable () -> Void)? = nil, connector: WorkspaceConnector = .curl,
        cluster: ClusterMember? = nil
    ) {
        self.config = config
        self.watchedRepositories = Mutex(config.products.map(\.repo))
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.environmentVariables = environment
        self.afterOperation = afterOperation
        self.connector = connector
        self.cluster = cluster
    }

    /// The status of every product in every environment, sorted by product then environment order.
    public func status() -> [ProductStatus] {
        let order = Dictionary(uniqueKeysWithValues: config.environments.enumerated().map { ($1.name, $0) })
        return statuses.values.sorted {
            ($0.product, order[$0.target] ?? 0) < ($1.product, order[$1.target] ?? 0)
        }
    }

    /// Asks for an immediate poll of the repository at `url` (from a push webhook).
    public nonisolated func trigger(repository url: String) {
        Task { await self.recordWebhook(url) }
    }

    /// Whether `url` names a watched repository.
    public nonisolated func watches(repository url: String) -> Bool {
        watchedRepositories.withLock { $0.contains { Self.sameRepository($0, url) } }
    }

    /// Replaces the configuration (a validated lakegate.yaml, on SIGHUP); the next pass uses it. The state
    /// directory cannot change while running.
    public func reload(_ newConfig: OperatorConfig) throws {
        guard newConfig.stateDir == config.stateDir else {
            throw ControllerError(
                "stateDir cannot change on reload (\(config.stateDir) → \(newConfig.stateDir)); restart")
        }
        config = newConfig
        inSync = [:]  // self-heal, prune or the workspace may have changed: read everything again
        // A new configuration may settle a wait (a quorum lowered, sync made automatic): look at every pair again.
        waits = [:]
        watchedRepositories.withLock { $0 = newConfig.products.map(\.repo) }
    }

    static func sameRepository(_ a: String, _ b: String) -> Bool {
        func normalized(_ s: String) -> String {
            var s = s.lowercased()
            if s.hasSuffix("/") { s.removeLast() }
            if s.hasSuffix(".git") { s.removeLast(4) }
            return s
        }
        return normalized(a) == normalized(b)
    }

    /// Polls until the task is cancelled or `shutdown` says so; a pass in flight always finishes.
    public func run(until shutdown: @escaping @Sendable () -> Bool) async {
        // Several replicas: a heartbeat every third of the lease keeps this one in the live set between passes.
        let heartbeat = cluster.map { cluster in
            Task { [logger] in
                while !Task.isCancelled {
                    do { try await cluster.heartbeat() } catch {
                        logger.error("heartbeat failed", metadata: ["error": "\(error)"])
                    }
                    try? await Task.sleep(for: cluster.leaseDuration / 3)
                }
            }
        }
        if let cluster {
            // Replicas started together (a new deployment, a restart of all): one heartbeat period lets each see
            // the others before its first pass, so none lists and mirrors every repository in it.
            try? await cluster.heartbeat()
            try? await Task.sleep(for: cluster.leaseDuration / 3)
        }
        await pollOnce()
        while !Task.isCancelled && !shutdown() {
            let jitter = Self.seconds(config.poll.jitter)
            let interval = Self.seconds(config.poll.interval) + (jitter > 0 ? Double.random(in: 0...jitter) : 0)
            let repository = await nextTrigger(within: interval, shutdown: shutdown)
            if shutdown() || Task.isCancelled { break }
            await pollOnce(onlyRepository: repository)
        }
        heartbeat?.cancel()
        if let cluster {
            // Leaving cleanly: the others take this replica's repositories at their next pass.
            let (store, id) = (cluster.store, cluster.replicaID)
            _ = try? await Blocking.run { try store.removeReplica(id) }
        }
        closeSyncRequests()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Records a webhook's poll request: in the database when several replicas share the work (the owner may be
    /// another replica, and takes it from there), else in this replica's queue.
    private func recordWebhook(_ url: String) async {
        if let cluster, let repository = configuredRepository(url) {
            let store = cluster.store
            do {
                try await Blocking.run { try store.requestPoll(repo: repository) }
            } catch {
                logger.error("recording the poll request failed", metadata: ["repo": "\(url)", "error": "\(error)"])
            }
            return
        }
        enqueueTrigger(url)
    }

    func enqueueTrigger(_ url: String) {
        if !pendingTriggers.contains(url) { pendingTriggers.append(url) }
    }

    /// Waits up to `seconds` for a webhook trigger; nil when the interval ran out.
    ///
    /// A plain queue checked every 200 ms rather than an AsyncStream: cancelling a task that iterates an
    /// AsyncStream finishes the stream for good, which silenced webhooks after the first quiet interval.
    private func nextTrigger(within seconds: Double, shutdown: @escaping @Sendable () -> Bool) async -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        var lastCheck = Date.distantPast
        while pendingTriggers.isEmpty && Date() < deadline && !shutdown() && !Task.isCancelled {
            if let cluster, Date().timeIntervalSince(lastCheck) >= 1 {
                // Poll requests for this replica's repositories, from webhooks that reached any replica.
                lastCheck = Date()
                // Ownership as of now, not as of the last pass: a replica that joined or died since then moved
                // repositories, and a request must be taken by their owner only.
                ownedRepositories = await cluster.ownedRepositories(
                    Set(config.products.map(\.repo)).sorted(), logger: logger)
                let (store, owned) = (cluster.store, ownedRepositories.sorted())
                if let taken = try? await Blocking.run({ try store.takePollRequests(among: owned) }) {
                    pendingTriggers.append(contentsOf: taken.filter { !pendingTriggers.contains($0) })
                }
                if !pendingTriggers.isEmpty { break }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return pendingTriggers.isEmpty ? nil : pendingTriggers.removeFirst()
    }

    /// One pass: one ref listing per repository, then every product × environment of the repositories polled.
    public func pollOnce(onlyRepository: String? = nil) async {
        let stateDirectory = URL(fileURLWithPath: config.stateDir)
        let mirrors = stateDirectory.appendingPathComponent("mirrors").path
        var repositories = Set(config.products.map(\.repo)).filter {
            onlyRepository == nil || Self.sameRepository($0, onlyRepository!)
        }
        if let cluster {
            // Several replicas: only the repositories rendezvous hashing gives this one, listed by it alone.
            try? await cluster.heartbeat()
            let owned = await cluster.ownedRepositories(Set(config.products.map(\.repo)).sorted(), logger: logger)
            ownedRepositories = owned
            // An operator's request (`lakegate reconcile`) reached this replica: it runs it under the pair's
            // lease even where another replica owns the repository, so the request is answered here.
            let requested = Set(
                config.products.filter { product in
                    environments(of: product).contains { syncRequests["\(product.name)/\($0.name)"] != nil }
                }.map(\.repo))
            repositories = repositories.filter { owned.contains($0) || requested.contains($0) }
        }
        var jobs: [ProductReconciler] = []
        // One set of shared reads per workspace and credentials, for this pass only: products that read the same
        // catalog or schema read it once (a different identity may see a different workspace, so never across).
        var sharedReads: [[String: String]: SharedReads] = [:]
        let now = Date()
        let governance = await pollGovernance(mirrors: mirrors, now: now)
        let polls = await pollRepositories(repositories.sorted(), mirrors: mirrors, now: now)
        await checkDrift(now: now)
        for (url, mirror, polled) in polls {
            // A new revision (a followed ref moved) or a webhook for this repository ends every wait on it.
            var changed = onlyRepository != nil
            do {
                let result = try polled.get()
                changed = changed || result.changed
                metrics.recordGitRequest("ls-remote")
                if result.changed { metrics.recordGitRequest("fetch") }
                for case .moved(let tag, let first, let now) in result.events {
                    logger.warning(
                        "tag moved: refused and reported",
                        metadata: [
                            "repo": "\(url)", "tag": "\(tag)", "first": "\(first.object.hex)", "now": "\(now.hex)",
                        ])
                    recordMovedTag(tag, first: first.object.hex, now: now.hex, repository: url)
                }
            } catch {
                logger.error("poll failed", metadata: ["repo": "\(url)", "error": "\(error)"])
                for product in config.products where product.repo == url {
                    for environment in environments(of: product) {
                        await recordFailure(
                            ReconcileStepError(step: "polling \(url)", underlying: error), product: product,
                            environment: environment, now: now)
                    }
                }
                continue
            }
            for product in config.products where product.repo == url {
                for environment in environments(of: product) {
                    let key = "\(product.name)/\(environment.name)"
                    // An operator's request waits out neither the backoff nor a gate's retry time.
                    let requested = syncRequests[key] != nil
                    if let failure = failures[key], failure.retryAt > now, !requested { continue }
                    if !changed, !requested, let retryAt = waits[key], retryAt > now { continue }
                    let syncRequested = takeSyncRequests(key)
                    do {
                        let databricks = try databricksConfig(for: environment)
                        var job = ProductReconciler(
                            product: product, environment: environment, mirrorPath: mirror.path, repositoryKey: url,
                            store: store, databricks: databricks,
                            logger: logger, metrics: metrics, governance: governance,
                            afterOperation: afterOperation, pollInterval: config.poll.interval,
                            connector: connector, notifications: config.notifications,
                            syncRequested: syncRequested)
                        job.unchanged = inSync[key]
                        if sharedReads[databricks.values] == nil { sharedReads[databricks.values] = SharedReads() }
                        job.sharedReads = sharedReads[databricks.values]
                        jobs.append(job)
                    } catch {
                        await recordFailure(
                            ReconcileStepError(step: "credentials for \(environment.name)", underlying: error),
                            product: product, environment: environment, now: now)
                    }
                }
            }
        }
        let results = await Self.runBounded(
            jobs, concurrency: max(1, config.concurrency), cluster: cluster, logger: logger)
        for status in results {
            set(status)
            // A quiet poll is routine: debug, so info shows only what changed or needs a person.
            logger.log(
                level: status.outcome == .noChange ? .debug : .info,
                "reconciled",
                metadata: [
                    "product": "\(status.product)", "target": "\(status.target)",
                    "outcome": "\(status.outcome.rawValue)",
                    "message": "\(status.message)",
                ])
        }
        // A requested pair another replica held: no status came back, so the request is answered as not run.
        answerSkippedSyncRequests()
        ready = true
    }

    /// Lists (and fetches when moved) every repository, up to `concurrency` at once: against a git server each
    /// listing is a round trip, and hundreds of them in a row would make one pass wait on the network.
    private func pollRepositories(
        _ urls: [String], mirrors: String, now: Date
    ) async -> [(String, GitMirror, Result<GitMirror.PollResult, any Error>)] {
        let tags = StoreTagObservations(store: store)
        let mirrorsByURL = urls.map { url in
            // Products sharing a repository share its mirror; the first one's credentials reach it.
            let credentials = config.products.first { $0.repo == url }?.credentials
            return (url, credentials, GitMirror(url: url, stateDirectory: mirrors))
        }
        return await withTaskGroup(of: (Int, Result<GitMirror.PollResult, any Error>).self) { group in
            var results = [Result<GitMirror.PollResult, any Error>?](repeating: nil, count: mirrorsByURL.count)
            var next = 0
            func addNext() {
                guard next < mirrorsByURL.count else { return }
                let index = next
                var mirror = mirrorsByURL[index].2
                let credentials = mirrorsByURL[index].1
                next += 1
                group.addTask {
                    do {
                        mirror.credentials = try self.gitCredentials(credentials)
                        return (index, .success(try await mirror.poll(store: tags, now: now)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<max(1, config.concurrency) { addNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                addNext()
            }
            return mirrorsByURL.enumerated().map { index, entry in
                (entry.0, entry.2, results[index] ?? .failure(ControllerError("not polled")))
            }
        }
    }

    /// Runs `jobs`, `concurrency` at once; with several replicas each under its lease, skipping the pairs another
    /// replica holds.
    private static func runBounded(
        _ jobs: [ProductReconciler], concurrency: Int, cluster: ClusterMember?, logger: Logger
    ) async -> [ProductStatus] {
        @Sendable func run(_ job: ProductReconciler) async -> ProductStatus? {
            guard let cluster else { return await job.reconcile() }
            return await reconcileUnderLease(job, cluster: cluster, logger: logger)
        }
        return await withTaskGroup(of: ProductStatus?.self) { group in
            var iterator = jobs.makeIterator()
            for _ in 0..<concurrency {
                guard let job = iterator.next() else { break }
                group.addTask { await run(job) }
            }
            var results: [ProductStatus] = []
            while let status = await group.next() {
                if let status { results.append(status) }
                if let job = iterator.next() { group.addTask { await run(job) } }
            }
            return results
        }
    }

    /// A failure before the reconcile could start, recorded where every reconcile is.
    private func recordFailure(
        _ error: any Error, product: OperatorConfig.Product, environment: OperatorConfig.Environment, now: Date
    ) async {
        let recorder = ReconcileRecorder(
            product: product, environment: environment, store: store, metrics: metrics,
            notifications: config.notifications, logger: logger)
        set(
            await recorder.record(
                .failed(error), ReconcileContext(now: now, started: Date(), deployed: nil, hold: nil)))
    }

    /// Keeps `status`; a failure waits out the environment's backoff, which grows with each failure in a row, and
    /// a waiting pair is not looked at again before its `retryAt`.
    private func set(_ status: ProductStatus) {
        let key = "\(status.product)/\(status.target)"
        var status = status
        if status.outcome == .failed {
            let count = (failures[key]?.count ?? 0) + 1
            let backoff = config.environment(status.target)?.sync.backoff ?? OperatorConfig.Sync.Backoff()
            let retryAt = Date().addingTimeInterval(backoff.delay(afterFailures: count))
            failures[key] = (count, retryAt)
            status.retryAt = ISO8601DateFormatter().string(from: retryAt)
        } else {
            failures[key] = nil
        }
        if let commit = status.deployedCommit, status.outcome == .noChange || status.outcome == .applied {
            let reason =
                status.outcome == .noChange
                ? status.message : "in sync with \(status.deployedRelease ?? String(commit.prefix(12)))"
            inSync[key] = InSyncRecord(
                commit: commit, release: status.deployedRelease, reason: reason, drift: status.drift)
        } else {
            inSync[key] = nil
        }
        waits[key] = status.outcome == .waiting ? status.retryAt.flatMap(ISO8601DateFormatter().date(from:)) : nil
        statuses[key] = status
        answerSyncRequests(status)
    }

    private func environments(of product: OperatorConfig.Product) -> [OperatorConfig.Environment] {
        config.environments.filter { product.environments.isEmpty || product.environments.contains($0.name) }
    }

    /// Workspace credentials by reference: variables are read here, files by the client before each use (so a
    /// rotated secret takes effect without a restart); secrets are never logged.
    nonisolated func databricksConfig(for environment: OperatorConfig.Environment) throws -> DatabricksConfig {
        if case .profile(let profile, let file) = environment.workspace.credentials {
            var environment = ["DATABRICKS_CONFIG_PROFILE": profile]
            if let file { environment["DATABRICKS_CONFIG_FILE"] = file }
            environment["HOME"] = environmentVariables["HOME"]
            return try DatabricksConfig.resolve(explicit: [:], environment: environment)
        }
        var explicit =
            try environment.workspace.credentials.databricksAttributes { name in
                try resolveSecret(.environmentVariable(name))
            } ?? [:]
        explicit["host"] = environment.workspace.host
        return DatabricksConfig(values: explicit)
    }

    /// The value of a secret reference (environment variable or file); never logged.
    public nonisolated func resolveSecret(_ reference: OperatorConfig.SecretReference) throws -> String {
        switch reference {
        case .environmentVariable(let name):
            guard let value = environmentVariables[name], !value.isEmpty else {
                throw ControllerError("environment variable \(name) is not set")
            }
            return value
        case .file(let path):
            do {
                return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw ControllerError("cannot read secret file \(path)")
            }
        }
    }
}

/// A controller configuration problem, in one sentence.
public struct ControllerError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension Controller {
    /// A tag that moved after it was first seen is a security event: one audit entry per product of the
    /// repository, when the move is observed (the observation store reports each move once).
    func recordMovedTag(_ tag: String, first: String, now: String, repository url: String) {
        let at = Date()
        for product in config.products where product.repo == url {
            do {
                let message = "tag \(tag) moved from \(first) to \(now); the first object stays the release"
                // The event concerns every environment: `*` matches any route's environments.
                let security = EventFactory(notifications: config.notifications, product: product).event(
                    .security, environment: Hold.everyProduct, release: tag, commit: nil, message: message, at: at)
                try store.appendAudit(
                    AuditEntry(
                        product: product.name, target: Hold.everyProduct, commit: now, tagObject: first,
                        outcome: "tagMoved", message: message, startedAt: at, finishedAt: at),
                    deployment: nil, events: security.map { [$0] } ?? [])
            } catch {
                logger.error("audit entry for a moved tag failed", metadata: ["tag": "\(tag)", "error": "\(error)"])
            }
        }
    }
}
