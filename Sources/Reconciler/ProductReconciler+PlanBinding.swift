import GitSource
import Governance
import OperatorConfig
import Planner

extension ProductReconciler {
    /// The plan-binding step (`gates.bindPlan`, environments that follow approvals): apply only a plan whose
    /// digest a quorum of the release's approvals recorded; otherwise wait for approvals of this plan. What the
    /// approvers saw is what runs. Reported as the `plan-approved` gate.
    func bindPlan(_ plan: Plan, context: inout ReconcileContext) -> Step<Void> {
        guard environment.gates.bindPlan, case .approvals = environment.follows else { return .proceed(()) }
        guard let selection = context.selection else {
            return .stop(.failed(ReconcileFailure(description: "no revision was selected")))
        }
        let binding = ReleaseGates.planBinding(
            approvals: selection.judgedApprovals, plan: plan.digest, quorum: environment.gates.quorum)
        context.gates =
            (context.gates ?? []) + [
                ProductStatus.GateVerdict(name: "plan-approved", passed: binding.bound, reason: binding.reason)
            ]
        guard binding.bound else {
            return .stop(
                .waiting(
                    reason: "\(selection.release ?? selection.commit.short): \(binding.reason)",
                    retryAt: nextPass(after: context.now)))
        }
        return .proceed(())
    }
}
