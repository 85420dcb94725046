import Foundation
import GitSource
import Governance
import LakegateCore
import Logging
import OperatorConfig
import Store

extension ProductReconciler {
    /// A release that waits only on its approvals gets, once per release, the plan of what approving it would
    /// change here: for the `approval.requested` event when a route sends it and the request is new, and for the
    /// console when the plan kept for this environment is not yet this release's. The live read costs what a
    /// converged environment's pass costs, once per release and commit. A plan that cannot be made leaves the
    /// event without one (and is tried again on the next pass).
    func previewApproval(_ result: ReconcileResult, context: inout ReconcileContext) async {
        guard case .waiting = result, case .approvals = environment.follows, context.plan == nil,
            let verdict = context.verdict, let release = verdict.release,
            ReconcileRecorder.awaitsOnlyApprovals(verdict),
            let commit = verdict.commit.flatMap(ObjectID.init(hex:))
        else { return }
        let (store, name, target) = (store, product.name, environment.name)
        let routed =
            notifications.map {
                !$0.providers(for: .approvalRequested, product: name, environment: target).isEmpty
            } ?? false
        let (previous, kept) =
            (try? await Blocking.run {
                (
                    try store.condition(product: name, target: target, family: ReconcileRecorder.Family.approval),
                    try store.lastPlan(product: name, target: target)
                )
            }) ?? (nil, nil)
        let eventDue = routed && !(previous?.hasPrefix("awaiting \(release)@\(commit.hex) ") ?? false)
        let consoleDue = !(kept?.commit == commit.hex && kept?.release == release && kept?.outcome == "waiting")
        guard eventDue || consoleDue else { return }
        do {
            let selection = Selection(release: release, commit: commit, gates: [], approvals: [])
            let revision = try await load(selection, context: context)
            _ = try await plan(revision, context: &context)
        } catch {
            logger.notice(
                "no plan for the approval request",
                metadata: ["product": "\(name)", "target": "\(target)", "error": "\(error)"])
        }
    }
}
