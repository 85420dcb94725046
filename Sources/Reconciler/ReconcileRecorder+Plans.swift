import CurlHTTP
import Foundation
import GitSource
import Governance
import LakegateCore
import Logging
import OperatorConfig
import Planner
import Store

extension ReconcileRecorder {
    /// Keeps the plan this reconcile computed, whatever became of it (applied, waiting for approvals or a manual
    /// sync, drift reported only, a failed apply), rendered by the planner and redacted, for the console. A store
    /// that cannot keep it is logged and changes nothing else: the plan is a view, not a record the controller
    /// decides on.
    func keepPlan(_ result: ReconcileResult, _ context: ReconcileContext) async {
        guard let plan = context.plan,
            let commit = context.selection?.commit.hex ?? context.verdict?.commit
        else { return }
        let redactor = Redactor(secrets: secrets)
        let document = PlanRenderer(colors: false).document(plan, mask: redactor.text)
        let record = PlanRecord(
            product: product.name, target: environment.name,
            release: context.selection?.release ?? context.verdict?.release, commit: commit,
            planDigest: plan.digest, outcome: result.outcome.rawValue, message: redactor.text(result.message),
            changes: plan.actions.filter { $0.type != .retain }.count, computedAt: context.now,
            document: document.canonicalJSON)
        let store = store
        do {
            try await Blocking.run { _ = try store.recordPlan(record) }
        } catch {
            logger?.error(
                "the plan could not be kept for the console",
                metadata: ["product": "\(product.name)", "target": "\(environment.name)", "error": "\(error)"])
        }
    }
}
