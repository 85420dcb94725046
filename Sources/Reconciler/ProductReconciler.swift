import Databricks
import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore
import Logging
import OperatorConfig
import Planner
import Store
import Sync

/// One pass for one product in one environment: select the revision, evaluate the gates, load the files at
/// that commit, read the live state, plan, apply when allowed, and record the deployment and the audit entry.
///
/// Every failure ends in a ``ProductStatus`` rather than an error, so one product never stops the others.
struct ProductReconciler: Sendable {
    let product: OperatorConfig.Product
    let environment: OperatorConfig.Environment
    let mirrorPath: String
    let repositoryKey: String
    /// The state store; under a lease, the view fenced by it.
    var store: StateStore
    let databricks: DatabricksConfig
    let logger: Logger
    let metrics: ControllerMetrics
    /// The governance repository of this pass; nil when no environment uses a policy set.
    var governance: Result<GovernanceSnapshot, ControllerError>? = nil
    /// Called after every workspace operation of an apply (the crash failpoint of the end-to-end tests).
    var afterOperation: (@Sendable () -> Void)? = nil
    /// Called before every workspace operation of an apply (under a lease: stop once it has run out).
    var beforeOperation: (@Sendable () -> Void)? = nil
    /// The controller's poll interval: a waiting reconcile is looked at again after it.
    var pollInterval: Duration = .seconds(60)
    /// How the workspace is reached (libcurl; the in-process emulator in tests).
    var connector: WorkspaceConnector = .curl
    /// What this pair last came to in sync, when no drift check has named it since: an unchanged revision then
    /// repeats it without reading the workspace.
    var unchanged: InSyncRecord? = nil
    /// The reads this pass shares among the products of this workspace and identity (``SharedReads``).
    var sharedReads: SharedReads? = nil
    /// Where events go; nil sends none.
    var notifications: OperatorConfig.Notifications? = nil
    /// An operator asked for this reconcile (`lakegate reconcile`): it applies even where sync is manual.
    var syncRequested = false
    /// Under a replica's lease: the lease it also takes under the dataproduct `id` (see ``ProductLease``).
    var productLease: ProductLease? = nil

    /// The revision an environment should run and why.
    struct Selection: Sendable {
        var release: String?
        var tagObject: String?
        var commit: ObjectID
        var gates: [ProductStatus.GateVerdict]
        var approvals: [AuditEntry.Approval]
        /// sha256 of the policy report, when the environment's policy set was evaluated.
        var policyReportDigest: String? = nil
        /// The governance commit the policy set was read at.
        var governanceCommit: String? = nil
        /// Every approval as judged, with the plan digest it records (`gates.bindPlan`).
        var judgedApprovals: [ReleaseVerdict.Approval] = []
    }

    enum SelectionResult: Sendable {
        case ready(Selection)
        case notReady(ReconcileOutcome, String, [ProductStatus.GateVerdict], release: String?)
        /// Stalled by a gate (a blocking policy, a missing trailer, a tampered release tag): audited once per cause.
        case blocked(Selection, String)
    }

    /// Where the result is recorded.
    var recorder: ReconcileRecorder {
        ReconcileRecorder(
            product: product, environment: environment, store: store, metrics: metrics, notifications: notifications,
            logger: logger, secrets: databricks.secrets)
    }

    /// The shell: start the context, run the steps, record what they came to. Every step returns a typed
    /// result or hands on what the next one needs; only the ``ReconcileRecorder`` writes status, audit and metrics.
    func reconcile(now: Date = Date()) async -> ProductStatus {
        let started = Date()
        var context: ReconcileContext
        do {
            context = try await start(now: now, started: started)
        } catch {
            let context = ReconcileContext(now: now, started: started, deployed: nil, hold: nil)
            return await recorder.record(
                .failed(ReconcileStepError(step: "reading the state store", underlying: error)), context)
        }
        let result = await steps(&context)
        await previewApproval(result, context: &context)
        return await recorder.record(result, context)
    }

    /// The gate step: opens the repository for the whole reconcile, then `select(now:repository:)` picks the
    /// revision and evaluates its gates, off the cooperative pool.
    func gate(_ context: inout ReconcileContext) async -> Step<Selection> {
        let result: SelectionResult
        let (now, mirrorPath) = (context.now, mirrorPath)
        do {
            let repository: MirrorRepository
            let judged: (verdict: ReleaseVerdict, result: SelectionResult)
            (repository, judged) = try await Blocking.run { [self] in
                let repository = try MirrorRepository(openingAt: mirrorPath)
                return (repository, try repository.read { try judgedSelection(now: now, repository: $0) })
            }
            context.repository = repository
            context.verdict = judged.verdict
            result = judged.result
        } catch {
            return .stop(.failed(ReconcileStepError(step: "selecting the revision", underlying: error)))
        }
        switch result {
        case .ready(let selection):
            context.gates = selection.gates
            context.desiredRelease = selection.release
            context.selection = selection
            return .proceed(selection)
        case .blocked(let selection, let message):
            context.gates = selection.gates
            context.desiredRelease = selection.release
            context.selection = selection
            return .stop(.stalled(reason: message))
        case .notReady(let outcome, let message, let gates, let release):
            context.gates = gates
            context.desiredRelease = release
            switch outcome {
            case .waiting: return .stop(.waiting(reason: message, retryAt: nextPass(after: context.now)))
            case .stalled: return .stop(.stalled(reason: message))
            case .failed, .applied, .noChange:
                // Selection never applies anything: anything but waiting or stalled is a failure.
                return .stop(.failed(ReconcileFailure(description: message)))
            }
        }
    }

    /// select → gate → load → plan → apply; the first step that decides the outcome ends the run.
    func steps(_ context: inout ReconcileContext) async -> ReconcileResult {
        if let hold = context.hold {
            return .waiting(reason: "held by \(hold.who): \(hold.reason)", retryAt: nextPass(after: context.now))
        }
        let selection: Selection
        switch await gate(&context) {
        case .proceed(let selected): selection = selected
        case .stop(let result): return result
        }
        if !syncRequested, let record = unchanged, record.commit == selection.commit.hex,
            record.release == selection.release,
            context.deployed?.commit == record.commit
        {
            metrics.recordLiveRead(skipped: true)
            return .noChange(reason: record.reason, drift: record.drift)
        }
        metrics.recordLiveRead(skipped: false)
        do {
            let revision = try await load(selection, context: context)
            let result: ReconcileResult
            (result, context) = try await underProductLease(revision.product.id, context: context) { job, context in
                var context = context
                let session = try await job.plan(revision, context: &context)
                switch job.decide(session.plan, context: context) {
                case .proceed: break
                case .stop(let result):
                    if case .noChange = result, !session.plan.hasChanges,
                        let failed = await job.recordInSync(session.plan)
                    {
                        return (failed, context)
                    }
                    return (result, context)
                }
                if case .stop(let result) = job.bindPlan(session.plan, context: &context) { return (result, context) }
                return (await job.apply(session, context: &context), context)
            }
            return result
        } catch let diagnostics as DiagnosticList {
            return .stalled(reason: "invalid product files: " + Self.summary(diagnostics))
        } catch let error as PlanError {
            return .stalled(reason: "plan refused: \(error)")
        } catch {
            return .failed(error)
        }
    }

    // MARK: Revision selection

    /// The gates of this environment, as the governance verdict takes them.
    var rules: GateRules { GateRules(environment) }

    /// The revision this environment should run and why: the governance verdict made a selection. Blocking.
    func select(now: Date, repository: Repository) throws -> SelectionResult {
        try judgedSelection(now: now, repository: repository).result
    }

    /// `select(now:repository:)` with the verdict it was made from. Blocking.
    func judgedSelection(now: Date, repository: Repository) throws -> (verdict: ReleaseVerdict, result: SelectionResult)
    {
        let verdict = try evaluate(repository: repository, release: nil, now: now)
        return (verdict, selection(from: verdict, repository: repository))
    }

    /// The governance verdict for `release`, or for the release (or branch head) this environment would select
    /// when nil: exactly what `select` decides on. Blocking.
    func evaluate(repository: Repository, release: String?, now: Date) throws -> ReleaseVerdict {
        if let release { return try judge(release: release, repository: repository, now: now, full: true) }
        switch environment.follows {
        case .branch(let branch):
            let head = try repository.branchHead(branch)
            let facts = ReleaseFacts(
                target: environment.name, release: nil, commit: head.hex,
                policies: try policyFacts(commit: head, release: nil, repository: repository))
            return ReleaseGates.judge(facts, rules: rules)
        case .releases:
            guard let newest = try repository.newestRelease(prefix: product.releaseTagPrefix) else {
                return noRelease()
            }
            return try judge(release: newest.name, repository: repository, now: now, full: true)
        case .approvals:
            // Git facts of every approved release, then the full verdict of the one the newest approval names.
            let collector = try self.collector(repository)
            let newest = try repository.newestRelease(prefix: product.releaseTagPrefix)
            var names = try collector.approvedReleases(target: environment.name)
                .filter { $0.hasPrefix(product.releaseTagPrefix) }
            if let newest, !names.contains(newest.name) { names.append(newest.name) }
            guard !names.isEmpty else { return noRelease() }
            var verdicts: [ReleaseVerdict] = []
            for name in names {
                verdicts.append(try judge(release: name, repository: repository, now: now, full: false))
            }
            let chosen =
                ReleaseGates.newestApproved(verdicts)?.release ?? newest?.name ?? verdicts[0].release ?? names[0]
            return try judge(release: chosen, repository: repository, now: now, full: true)
        }
    }

    private func noRelease() -> ReleaseVerdict {
        ReleaseVerdict(
            target: environment.name, release: nil, commit: nil, gates: [], approvals: [],
            quorum: .init(required: environment.gates.quorum, valid: 0), decision: .wait,
            reason: "no release tag \(product.releaseTagPrefix)<semver> yet", securityEvent: false)
    }

    private func collector(_ repository: Repository) throws -> ReleaseFactsCollector {
        ReleaseFactsCollector(
            repository: repository, repositoryKey: repositoryKey, store: StoreTagObservations(store: store),
            verifier: SignatureVerifier(
                allowedSigners: try environment.gates.allowedSigners.map { try AllowedSigners(contentsOf: $0) }
                    ?? AllowedSigners(path: "(no allowed signers configured)", entries: []),
                revoked: try environment.gates.revoked.map { try RevocationList(contentsOf: $0) }))
    }

    /// Collects every fact of `release` and judges it; `full: false` skips contracts and policies (enough to
    /// choose among approved releases).
    private func judge(release: String, repository: Repository, now: Date, full: Bool) throws -> ReleaseVerdict {
        var facts = try collector(repository).collect(target: environment.name, release: release, now: now)
        let commit = facts.commit.flatMap(ObjectID.init(hex:))
        for required in environment.requires {
            let running = try store.deployment(product: product.name, target: required)
            let converged =
                try commit.map {
                    try store.converged(product: product.name, target: required, release: release, commit: $0.hex)
                } ?? false
            facts.promotion.append(.init(environment: required, converged: converged, running: running?.release))
        }
        let deployed = try store.deployment(product: product.name, target: environment.name)
        // The deployed release's tag must still be where it was: a tampered one never leads to a fallback.
        if let deployed, let name = deployed.release, name != release {
            let now = try repository.reference("refs/tags/\(name)")
            var broken: String?
            if now == nil {
                broken = "was deleted"
            } else if let recorded = deployed.tagObject, now?.hex != recorded {
                broken = "moved (tag object \(recorded.prefix(12)) is now \(now!.hex.prefix(12)))"
            }
            if broken != nil {
                let supersedes: Bool
                if case .approvals = environment.follows {
                    let approvedAt = ReleaseGates.judge(facts, rules: rules).approvedAt ?? .distantPast
                    supersedes = approvedAt > deployed.deployedAt
                } else {
                    supersedes =
                        (SemanticVersion.split(tag: release)?.version).map { candidate in
                            SemanticVersion.split(tag: name).map { candidate > $0.version } ?? true
                        } ?? false
                }
                facts.deployed = .init(release: name, broken: broken, candidateSupersedes: supersedes)
            }
        }
        if full, let commit {
            facts.contracts = try contractFacts(release: release, commit: commit, repository: repository)
            facts.policies = try policyFacts(commit: commit, release: release, repository: repository)
        }
        let verdict = ReleaseGates.judge(facts, rules: rules)
        recordRefusedApprovals(verdict, now: now)
        return verdict
    }

    /// What `reconcile` does with a verdict: proceed with the selection, wait, fail, or stall (audited once).
    func selection(from verdict: ReleaseVerdict, repository: Repository) -> SelectionResult {
        let gates = verdict.gates.map { ProductStatus.GateVerdict(name: $0.name, passed: $0.passed, reason: $0.reason) }
        let commit =
            verdict.commit.flatMap(ObjectID.init(hex:))
            ?? (try? store.deployment(product: product.name, target: environment.name)).flatMap {
                $0.flatMap { ObjectID(hex: $0.commit) }
            }
        let tagObject = verdict.release.flatMap { try? repository.reference("refs/tags/\($0)")?.hex }
        func selected(_ commit: ObjectID) -> Selection {
            Selection(
                release: verdict.release, tagObject: tagObject, commit: commit, gates: gates,
                approvals: verdict.approvals.filter(\.valid).map {
                    AuditEntry.Approval(tag: $0.tag, signer: $0.principal ?? "")
                }, policyReportDigest: verdict.policyReportDigest, governanceCommit: verdict.governanceCommit,
                judgedApprovals: verdict.approvals)
        }
        switch verdict.decision {
        case .proceed:
            guard let commit else {
                return .notReady(.stalled, "\(verdict.release ?? "?"): no commit", gates, release: verdict.release)
            }
            return .ready(selected(commit))
        case .wait:
            return .notReady(.waiting, verdict.reason, gates, release: verdict.release)
        case .fail:
            return .notReady(.failed, verdict.reason, gates, release: verdict.release)
        case .stall:
            guard let commit else { return .notReady(.stalled, verdict.reason, gates, release: verdict.release) }
            return .blocked(selected(commit), verdict.reason)
        }
    }
}
