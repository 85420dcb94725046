import Databricks
import Descriptors
import Foundation
import GitSource
import LakegateCore
import Logging
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
    let store: StateStore
    let databricks: DatabricksConfig
    let logger: Logger
    let metrics: ControllerMetrics
    /// The governance repository of this pass; nil when no environment uses a policy set.
    var governance: Result<GovernanceSnapshot, ControllerError>? = nil
    /// Called after every workspace operation of an apply (the crash failpoint of the end-to-end tests).
    var afterOperation: (@Sendable () -> Void)? = nil
    /// The controller's poll interval: a waiting reconcile is looked at again after it.
    var pollInterval: Duration = .seconds(60)
    /// How the workspace is reached (libcurl; the in-process emulator in tests).
    var connector: WorkspaceConnector = .curl

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

    /// Where the result is recorded.
    var recorder: ReconcileRecorder {
        ReconcileRecorder(product: product, environment: environment, store: store, metrics: metrics)
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
        return await recorder.record(result, context)
    }

    /// The gate step: `select(now:)` picks the revision and evaluates its gates, off the cooperative pool.
    func gate(_ context: inout ReconcileContext) async -> Step<Selection> {
        let result: SelectionResult
        let now = context.now
        do {
            result = try await Blocking.run { [self] in try select(now: now) }
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
        do {
            let revision = try await load(selection)
            let session = try await plan(revision, context: &context)
            switch decide(session.plan, context: context) {
            case .proceed: break
            case .stop(let result): return result
            }
            return await apply(session, context: &context)
        } catch let diagnostics as DiagnosticList {
            return .stalled(reason: "invalid product files: " + Self.summary(diagnostics))
        } catch let error as PlanError {
            return .stalled(reason: "plan refused: \(error)")
        } catch {
            return .failed(error)
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
}
