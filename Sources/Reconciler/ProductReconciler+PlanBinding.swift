import GitSource
import Governance
import OperatorConfig
import Planner
import Store

extension ProductReconciler {
    /// The plan-binding step (`gates.bindPlan`, environments that follow approvals): apply only a plan whose
    /// digest a quorum of the release's approvals recorded; otherwise wait for approvals of this plan. What the
    /// approvers saw is what runs. Reported as the `plan-approved` gate; the audit entry names the approvals of
    /// this plan.
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
        // The audit names the approvals of the plan that runs, not those of an earlier one.
        context.selection?.approvals = binding.counted.map {
            AuditEntry.Approval(tag: $0.tag, signer: $0.principal ?? "")
        }
        guard binding.bound else {
            return .stop(
                .waiting(
                    reason: "\(selection.release ?? selection.commit.short): \(binding.reason)",
                    retryAt: nextPass(after: context.now)))
        }
        return .proceed(())
    }
}
