import Foundation
import GitSource
import Governance
import Logging
import OperatorConfig
import Store

extension ProductReconciler {
    /// Records each approval the gates refused (bad or unknown signature, the release's own signer or author,
    /// revoked key) as an audit entry, once per approval tag and reason: a refused approval is a security event,
    /// not only a status line.
    func recordRefusedApprovals(_ verdict: ReleaseVerdict, now: Date) {
        for approval in verdict.approvals where !approval.valid && !approval.reason.contains("already approved") {
            let message =
                "approval \(approval.tag) by \(approval.principal ?? "an unknown signer") refused: "
                + approval.reason
            do {
                guard
                    try !store.hasAuditEntry(
                        product: product.name, target: environment.name, outcome: "approvalRefused", message: message)
                else { continue }
                let security = recorder.event(
                    .security, release: verdict.release, commit: verdict.commit, message: message, at: now)
                try store.appendAudit(
                    AuditEntry(
                        product: product.name, target: environment.name, release: verdict.release,
                        commit: verdict.commit ?? "", outcome: "approvalRefused", message: message, startedAt: now,
                        finishedAt: now), deployment: nil, events: security.map { [$0] } ?? [])
            } catch {
                logger.error(
                    "audit entry for a refused approval failed",
                    metadata: ["tag": "\(approval.tag)", "error": "\(error)"])
            }
        }
    }
}
