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

/// One pass for one product in one environment: select the revision, evaluate the gates, load the files at
/// that commit, read the live state, plan, apply when allowed, and record the deployment and the audit entry.
///
/// Every failure ends in a ``ProductStatus`` rather than an error, so one product never stops the others.
struct ProductReconciler: Sendable {
    let product: OperatorConfig.Product
    let environment: OperatorConfig.Environment
    let mirrorPath: String
    let repositoryKey: String
    let store: StateStore
    let databricks: DatabricksConfig
    let logger: Logger
    let metrics: ControllerMetrics
    /// The governance repository of this pass; nil when no environment uses a policy set.
    var governance: Result<GovernanceSnapshot, ControllerError>? = nil
    /// Called after every workspace operation of an apply (the crash failpoint of the end-to-end tests).
    var afterOperation: (@Sendable () -> Void)? = nil

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
    }

    enum SelectionResult: Sendable {
        case ready(Selection)
        case notReady(ReconcileOutcome, String, [ProductStatus.GateVerdict], release: String?)
        /// Stalled by a gate (a blocking policy, a missing trailer, a tampered release tag): audited once per cause.
        case blocked(Selection, String)
    }

    func reconcile(now: Date = Date()) async -> ProductStatus {
        let started = Date()
        let stamp = ISO8601DateFormatter().string(from: now)
        let deployed = try? store.deployment(product: product.name, target: environment.name)
        var status = ProductStatus(
            product: product.name, target: environment.name, deployedRelease: deployed?.release,
            deployedCommit: deployed?.commit, outcome: .failed, message: "", lastReconciled: stamp)
        defer { metrics.recordReconcile(outcome: status.outcome, seconds: Date().timeIntervalSince(started)) }

        if let hold = try? store.activeHold(product: product.name, target: environment.name) {
            status.outcome = .waiting
            status.message = "held by \(hold.who): \(hold.reason)"
            return status
        }

        let selection: Selection
        do {
            switch try await Blocking.run({ try select(now: now) }) {
            case .ready(let selected):
                selection = selected
            case .notReady(let outcome, let message, let gates, let release):
                status.outcome = outcome
                status.message = message
                status.gates = gates
                status.desiredRelease = release
                metrics.recordGates(gates)
                return status
            case .blocked(let selected, let message):
                status.outcome = .stalled
                status.message = message
                status.gates = selected.gates
                status.desiredRelease = selected.release
                status.desiredCommit = selected.commit.hex
                metrics.recordGates(selected.gates)
                try? record(selected, plan: nil, report: nil, outcome: .stalled, started: started, message: message)
                return status
            }
        } catch {
            status.outcome = .failed
            status.message = "selecting the revision: \(error)"
            return status
        }
        status.desiredRelease = selection.release
        status.desiredCommit = selection.commit.hex
        status.gates = selection.gates
        metrics.recordGates(selection.gates)

        let isNewRevision = deployed?.commit != selection.commit.hex
        do {
            let (source, allowDestroy) = try await Blocking.run { () -> (GitTreeFileSource, Set<String>) in
                let source = try GitTreeFileSource(
                    repositoryPath: mirrorPath, revision: selection.commit.hex,
                    prefix: product.path == "." ? "" : product.path)
                let repository = try Repository(openingAt: mirrorPath)
                let message = try repository.commit(selection.commit).message
                let keys = TrailerParser().parse(message).filter { $0.key.lowercased() == "allow-destroy" }
                    .map(\.value)
                return (source, Set(keys))
            }
            let rules = PlanRules(
                allowDestroy: environment.sync.allowDestroy ? allowDestroy : [],
                maxDeleteShare: environment.sync.maxDeleteShare)
            var session = try await PlanSession.make(
                source: source, target: environment.name, inventory: store.inventory, config: databricks,
                rules: rules, logger: logger)
            var plan = session.plan
            if !environment.sync.prune {
                plan.actions.removeAll { $0.type == .delete }
                session = session.replacingPlan(plan)
            }
            for action in plan.actions { metrics.recordPlanAction(action.type.rawValue, kind: action.kind.rawValue) }

            guard plan.hasChanges else {
                status.outcome = .noChange
                status.message = "in sync with \(selection.release ?? selection.commit.short)"
                if isNewRevision {
                    try record(selection, plan: plan, report: nil, outcome: .noChange, started: started)
                }
                status.deployedRelease = selection.release
                status.deployedCommit = selection.commit.hex
                return status
            }
            if !isNewRevision && !environment.sync.selfHeal {
                status.drift = plan.actions.filter { $0.type != .retain }.count
                metrics.recordDrift(product: product.name, target: environment.name, count: status.drift)
                status.outcome = .noChange
                status.message = "drift: \(status.drift) owned resource(s) differ; self-heal is off, reported only"
                return status
            }
            guard environment.sync.mode == .auto else {
                status.outcome = .waiting
                status.message = "manual sync: \(plan.summary.line)"
                return status
            }
            let report = await session.apply(concurrency: 4, afterOperation: afterOperation)
            let outcome: ReconcileOutcome = report.succeeded ? .applied : .failed
            try record(selection, plan: plan, report: report, outcome: outcome, started: started)
            status.outcome = outcome
            status.message = report.succeeded ? "applied: \(plan.summary.line)" : report.summary
            if report.succeeded {
                status.deployedRelease = selection.release
                status.deployedCommit = selection.commit.hex
            }
            return status
        } catch let diagnostics as DiagnosticList {
            status.outcome = .stalled
            status.message = "invalid product files: " + Self.summary(diagnostics)
            try? record(selection, plan: nil, report: nil, outcome: .stalled, started: started, message: status.message)
            return status
        } catch let error as PlanError {
            status.outcome = .stalled
            status.message = "plan refused: \(error)"
            try? record(selection, plan: nil, report: nil, outcome: .stalled, started: started, message: status.message)
            return status
        } catch {
            status.outcome = .failed
            status.message = "\(error)"
            return status
        }
    }

    // MARK: Revision selection

    /// The gates of this environment, as the governance verdict takes them.
    var rules: GateRules { GateRules(environment) }

    /// The revision this environment should run and why: the governance verdict made a selection. Blocking.
    func select(now: Date) throws -> SelectionResult {
        let repository = try Repository(openingAt: mirrorPath)
        let verdict = try evaluate(repository: repository, release: nil, now: now)
        return selection(from: verdict, repository: repository)
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
        return ReleaseGates.judge(facts, rules: rules)
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
                }, policyReportDigest: verdict.policyReportDigest, governanceCommit: verdict.governanceCommit)
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

    // MARK: Recording

    /// Appends the audit entry (and, when deployed, the deployment). A stall is recorded once per cause: not
    /// again while the newest entry of this product and target has the same commit, message and policy report.
    private func record(
        _ selection: Selection, plan: Plan?, report: ApplyReport?, outcome: ReconcileOutcome, started: Date,
        message: String? = nil
    ) throws {
        if outcome == .stalled, let last = try store.lastAuditEntry(product: product.name, target: environment.name),
            last.outcome == outcome.rawValue, last.commit == selection.commit.hex, last.message == message,
            last.policyReportDigest == selection.policyReportDigest
        {
            return
        }
        let finished = Date()
        let actions =
            report?.results.map {
                AuditEntry.Action(kind: $0.type.rawValue, resource: $0.key, result: "\($0.status)")
            } ?? []
        _ = try store.appendAudit(
            AuditEntry(
                product: product.name, target: environment.name, release: selection.release,
                commit: selection.commit.hex, tagObject: selection.tagObject, approvals: selection.approvals,
                policyReportDigest: selection.policyReportDigest, governanceCommit: selection.governanceCommit,
                planDigest: plan?.digest, actions: actions, outcome: outcome.rawValue, message: message,
                startedAt: started, finishedAt: finished))
        if outcome == .applied || outcome == .noChange {
            try store.recordDeployment(
                Deployment(
                    product: product.name, target: environment.name, release: selection.release,
                    commit: selection.commit.hex, tagObject: selection.tagObject, planDigest: plan?.digest,
                    outcome: outcome.rawValue, deployedAt: finished))
        }
    }
}
