import Databricks
import Descriptors
import Foundation
import GitSource
import LakegateCore
import Logging
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
        /// Stalled by the policy set (blocking results, invalid policy or product files): audited once per cause.
        case blocked(Selection, String)
    }

    func reconcile(now: Date = Date()) async -> ProductStatus {
        let started = Date()
        let stamp = ISO8601DateFormatter().string(from: now)
        let deployed = try? store.deployment(product: product.name, target: environment.name)
        var status = ProductStatus(
            product: product.name, target: environment.name, deployedRelease: deployed?.release,
            deployedCommit: deployed?.commit, outcome: .failed, message: "", lastReconciled: stamp)
        var driftJudged = false
        defer {
            metrics.recordReconcile(
                product: product.name, target: environment.name, outcome: status.outcome,
                seconds: Date().timeIntervalSince(started))
            // The gauge follows the last reconcile that got as far as judging drift (0 once fixed).
            if driftJudged {
                metrics.recordDrift(product: product.name, target: environment.name, count: status.drift)
            }
        }

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
                rules: rules, logger: logger, observer: { [metrics] in metrics.recordAPIRequest(group: $0, status: $1) }
            )
            var plan = session.plan
            if !environment.sync.prune {
                plan.actions.removeAll { $0.type == .delete }
                session = session.replacingPlan(plan)
            }
            for action in plan.actions { metrics.recordPlanAction(action.type.rawValue, kind: action.kind.rawValue) }
            driftJudged = true

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

    private func gatePolicy(quorum: Int) throws -> GatePolicy {
        GatePolicy(
            requiredTrailers: environment.gates.requiredTrailers.map { .init(key: $0.key, pattern: $0.pattern) },
            requireSignedRelease: environment.gates.requireSignedRelease, quorum: quorum,
            allowedSigners: try environment.gates.allowedSigners.map { try AllowedSigners(contentsOf: $0) },
            revoked: try environment.gates.revoked.map { try RevocationList(contentsOf: $0) },
            fourEyes: environment.gates.fourEyes)
    }

    private func select(now: Date) throws -> SelectionResult {
        let repository = try Repository(openingAt: mirrorPath)
        switch environment.follows {
        case .branch(let branch):
            let head = try repository.branchHead(branch)
            return try withPolicyGate(
                .ready(Selection(release: nil, tagObject: nil, commit: head, gates: [], approvals: [])),
                repository: repository)
        case .releases:
            guard let newest = try repository.newestRelease(prefix: product.releaseTagPrefix) else {
                return .notReady(.waiting, "no release tag \(product.releaseTagPrefix)<semver> yet", [], release: nil)
            }
            let evaluator = GateEvaluator(
                repository: repository, repositoryKey: repositoryKey, store: StoreTagObservations(store: store),
                policy: try gatePolicy(quorum: environment.gates.quorum))
            let report = try evaluator.evaluate(target: environment.name, release: newest.name, now: now)
            return try withPolicyGate(judge(report, repository: repository), repository: repository)
        case .approvals:
            let evaluator = GateEvaluator(
                repository: repository, repositoryKey: repositoryKey, store: StoreTagObservations(store: store),
                policy: try gatePolicy(quorum: max(1, environment.gates.quorum)))
            return try withPolicyGate(
                selectApproved(evaluator: evaluator, repository: repository, now: now), repository: repository)
        }
    }

    /// Adds the built-in contract-integrity verdict to a selected release; a breaking change stalls it.
    func withContractGate(_ result: SelectionResult, repository: Repository) throws -> SelectionResult {
        guard case .ready(var selection) = result, let release = selection.release else { return result }
        let deployed = try? store.deployment(product: product.name, target: environment.name)
        let verdict = try contractGate(
            repository: repository, release: release, commit: selection.commit, deployedRelease: deployed?.release)
        selection.gates.append(verdict)
        guard verdict.passed else {
            return .notReady(
                .stalled, "\(release): blocked by policy contract-integrity: \(verdict.reason)", selection.gates,
                release: release)
        }
        return .ready(selection)
    }

    private func verdicts(_ report: GateReport) -> [ProductStatus.GateVerdict] {
        report.gates.map { .init(name: $0.name, passed: $0.passed, reason: $0.reason) }
    }

    private func judge(_ report: GateReport, repository: Repository) -> SelectionResult {
        let gates = verdicts(report)
        if let failed = report.gates.first(where: { !$0.passed }) {
            let outcome: ReconcileOutcome = failed.name == "quorum" ? .waiting : .stalled
            return .notReady(
                outcome, "\(report.release): \(failed.name): \(failed.reason)", gates, release: report.release)
        }
        guard let commitHex = report.commit, let commit = ObjectID(hex: commitHex) else {
            return .notReady(.stalled, "\(report.release): no commit", gates, release: report.release)
        }
        let tagObject = try? repository.reference("refs/tags/\(report.release)")
        let approvals = report.approvals.filter(\.valid).map {
            AuditEntry.Approval(tag: $0.tag, signer: $0.principal ?? "")
        }
        return .ready(
            Selection(
                release: report.release, tagObject: tagObject?.hex, commit: commit, gates: gates, approvals: approvals))
    }

    /// The release named by the newest valid approval: approving an older release rolls back to it.
    private func selectApproved(evaluator: GateEvaluator, repository: Repository, now: Date) throws -> SelectionResult {
        let releases = try repository.releaseTags(prefix: product.releaseTagPrefix)
        guard let newest = releases.last else {
            return .notReady(.waiting, "no release tag \(product.releaseTagPrefix)<semver> yet", [], release: nil)
        }
        let observations = StoreTagObservations(store: store)
        var best: (report: GateReport, approvedAt: Date)?
        var newestReport: GateReport?
        for release in releases.reversed() {
            let approvalRefs = try repository.references(
                matching: "refs/tags/approval/\(environment.name)/\(release.name)/*")
            if approvalRefs.isEmpty && release.name != newest.name { continue }
            let report = try evaluator.evaluate(target: environment.name, release: release.name, now: now)
            recordRefusedApprovals(report, now: now)
            if release.name == newest.name { newestReport = report }
            guard report.passed else { continue }
            // A principal's later re-approval (counted once for the quorum) still dates the approval: that is
            // how approving an older release again rolls back to it.
            let approvers = Set(report.approvals.filter(\.valid).compactMap(\.principal))
            var approvedAt = Date.distantPast
            for approval in report.approvals
            where approval.valid
                || (approval.principal.map(approvers.contains) == true && approval.reason.contains("already approved"))
            {
                let ref = approval.tag.hasPrefix("refs/tags/") ? approval.tag : "refs/tags/\(approval.tag)"
                if let seen = try observations.first(repository: repositoryKey, tag: ref)?.firstSeen {
                    approvedAt = max(approvedAt, seen)
                }
            }
            if best == nil || approvedAt > best!.approvedAt { best = (report, approvedAt) }
        }
        if let best { return judge(best.report, repository: repository) }
        if let newestReport { return judge(newestReport, repository: repository) }
        return judge(
            try evaluator.evaluate(target: environment.name, release: newest.name, now: now), repository: repository)
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
