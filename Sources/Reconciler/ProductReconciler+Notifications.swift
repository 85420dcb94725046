import Foundation
import GitSource
import Governance
import LakegateCore
import Logging
import OperatorConfig
import Store

extension ProductReconciler {
    /// A release that waits only on its approvals gets, once per release, the plan of what approving it would
    /// change here, for the `approval.requested` event. Only when a route sends that event and the request is new:
    /// the live read costs what a converged environment's pass costs. A plan that cannot be made leaves the event
    /// without one.
    func previewApproval(_ result: ReconcileResult, context: inout ReconcileContext) async {
        guard case .waiting = result, case .approvals = environment.follows, let notifications,
            let verdict = context.verdict, let release = verdict.release,
            ReconcileRecorder.awaitsOnlyApprovals(verdict),
            !notifications.providers(for: .approvalRequested, product: product.name, environment: environment.name)
                .isEmpty,
            let commit = verdict.commit.flatMap(ObjectID.init(hex:))
        else { return }
        let (store, name, target) = (store, product.name, environment.name)
        let previous = try? await Blocking.run {
            try store.condition(product: name, target: target, family: ReconcileRecorder.Family.approval)
        }
        if let previous, previous.hasPrefix("awaiting \(release)@\(commit.hex) ") { return }
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
