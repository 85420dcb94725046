import Databricks
import Foundation
import GitSource
import LakegateCore
import Logging
import Notifications
import OperatorConfig
import Planner
import Store
import Sync

/// The one place a reconcile is recorded: the status, the audit entry and deployment, and the metrics. Both the
/// reconcile shell and the controller (a repository that could not be polled, missing credentials) record here.
struct ReconcileRecorder: Sendable {
    let product: OperatorConfig.Product
    let environment: OperatorConfig.Environment
    let store: StateStore
    let metrics: ControllerMetrics
    /// Where events go; nil sends none.
    var notifications: OperatorConfig.Notifications? = nil
    /// Where a notification or plan that could not be written is logged.
    var logger: Logger? = nil
    /// Secret values (the workspace credentials) masked in the plan kept for the console.
    var secrets: [String] = []

    /// Records `result` of the reconcile described by `context` and returns the status to serve.
    ///
    /// Audited: a stall of a selected revision (once per cause), every apply, and a new revision found in sync.
    /// A store that cannot be written turns the result into a failure: an unrecorded deployment is not a success.
    func record(_ result: ReconcileResult, _ context: ReconcileContext) async -> ProductStatus {
        var result = result
        if let selection = context.selection, Self.isAudited(result, context) {
            do {
                try await appendAudit(selection, result: result, context: context)
            } catch {
                result = .failed(ReconcileStepError(step: "recording the audit entry", underlying: error))
            }
        }
        var status = ProductStatus(
            product: product.name, target: environment.name, desiredRelease: context.desiredRelease,
            desiredCommit: context.selection?.commit.hex, deployedRelease: context.deployed?.release,
            deployedCommit: context.deployed?.commit, gates: context.gates ?? [], outcome: result.outcome,
            message: result.message, lastReconciled: ISO8601DateFormatter().string(from: context.now))
        switch result {
        case .applied, .noChange:
            if let selection = context.selection {
                status.deployedRelease = selection.release
                status.deployedCommit = selection.commit.hex
            }
        case .waiting(_, let retryAt):
            status.retryAt = ISO8601DateFormatter().string(from: retryAt)
        case .failed(let error):
            // An incomplete live read: counted by reason, once per failed request.
            let cause = (error as? ReconcileStepError)?.underlying ?? error
            if let incomplete = cause as? IncompleteSnapshotError {
                for failure in incomplete.failures { metrics.recordWorkspaceError(reason: failure.reason) }
            }
        case .stalled:
            break
        }
        // The gauge follows the last reconcile that compared the workspace with the revision: 0 once applied.
        switch result {
        case .noChange(_, let drift):
            status.drift = drift
            metrics.recordDrift(product: product.name, target: environment.name, count: drift)
        case .applied:
            metrics.recordDrift(product: product.name, target: environment.name, count: 0)
        default:
            break
        }
        await notifyConditions(result, context)
        await keepPlan(result, context)
        if let gates = context.gates { metrics.recordGates(gates) }
        for action in context.plan?.actions ?? [] {
            metrics.recordPlanAction(action.type.rawValue, kind: action.kind.rawValue)
        }
        metrics.recordReconcile(
            product: product.name, target: environment.name, outcome: result.outcome,
            seconds: Date().timeIntervalSince(context.started))
        return status
    }

    /// Whether `result` gets an audit entry: a stall of a selected revision, an apply that ran, a new revision
    /// found in sync (its kept drift, where self-heal is off, in the message). Drift on the deployed revision, holds,
    /// waiting gates and failures before the apply change nothing and are not audited.
    static func isAudited(_ result: ReconcileResult, _ context: ReconcileContext) -> Bool {
        switch result {
        case .stalled: true
        case .applied, .failed: context.report != nil
        // A new revision whose three-way plan kept drift is deployed too: all its changes are in.
        case .noChange: context.isNewRevision && context.plan?.hasChanges != true
        case .waiting: false
        }
    }

    /// Appends the audit entry (and, when deployed, the deployment). A stall is recorded once per cause: not again
    /// while the newest entry of this product and target has the same commit, message and policy report.
    private func appendAudit(
        _ selection: ProductReconciler.Selection, result: ReconcileResult, context: ReconcileContext
    ) async throws {
        let (store, product, target) = (store, product.name, environment.name)
        let outcome = result.outcome
        let message: String? =
            switch result {
            case .stalled(let reason): reason
            case .noChange(let reason, let drift) where drift > 0: reason
            case .applied(let summary) where context.plan?.drift.isEmpty == false: summary
            default: nil
            }
        let plan = context.plan
        let actions =
            context.report?.results.map {
                AuditEntry.Action(kind: $0.type.rawValue, resource: $0.key, result: "\($0.status)")
            } ?? []
        let started = context.started
        let events = auditedEvents(result, context, selection: selection)
        try await Blocking.run {
            if outcome == .stalled, let last = try store.lastAuditEntry(product: product, target: target),
                last.outcome == outcome.rawValue, last.commit == selection.commit.hex, last.message == message,
                last.policyReportDigest == selection.policyReportDigest
            {
                return
            }
            let finished = Date()
            // The entry, the deployment and the events it reports commit together or not at all.
            let deployment =
                outcome == .applied || outcome == .noChange
                ? Deployment(
                    product: product, target: target, release: selection.release, commit: selection.commit.hex,
                    tagObject: selection.tagObject, planDigest: plan?.digest, outcome: outcome.rawValue,
                    deployedAt: finished) : nil
            _ = try store.appendAudit(
                AuditEntry(
                    product: product, target: target, release: selection.release, commit: selection.commit.hex,
                    tagObject: selection.tagObject, approvals: selection.approvals,
                    policyReportDigest: selection.policyReportDigest, governanceCommit: selection.governanceCommit,
                    planDigest: plan?.digest, actions: actions, outcome: outcome.rawValue, message: message,
                    startedAt: started, finishedAt: finished), deployment: deployment, events: events)
        }
    }
}
