import GitSource
import Governance

/// The text `lakegate approve` shows before signing.
public enum ApprovalReport {
    /// Release, commit, signatures, recorded and recomputed digests, the policy report, the plan and warnings.
    public static func text(_ summary: Approver.Summary, plan: String) -> String {
        var lines: [String] = []
        lines.append("Approving \(summary.release) for \(summary.target)")
        lines.append("  release tag   \(summary.tagObject.hex)")
        lines.append("  commit        \(summary.commit.hex) \(summary.commitTitle)")
        if let tagger = summary.tagger { lines.append("  tagger        \(tagger)") }
        if let verdict = summary.releaseSignature {
            lines.append("  release sig   \(verdict.valid ? "valid" : "NOT VALID"): \(verdict.reason)")
        }
        if summary.record.isEmpty {
            lines.append("  digests       none recorded (the tag was not made by lakegate release)")
        }
        let state = summary.recordedState
        lines.append(
            "  state \(summary.target)    \(summary.stateDigest) "
                + (state == nil
                    ? "(not recorded)"
                    : summary.stateMatches == true ? "(matches the release)" : "(DIFFERS from the release: \(state!))"))
        if let evaluation = summary.evaluation {
            let recorded = summary.record.policyReport
            lines.append(
                "  policy report \(evaluation.report.digest) "
                    + (recorded == nil
                        ? "(not recorded)"
                        : summary.reportMatches == true
                            ? "(matches the release)" : "(DIFFERS from the release: \(recorded!); policies changed?)"))
            if let previous = evaluation.previousRelease { lines.append("  previous      \(previous)") }
        } else if let note = summary.policyNote {
            lines.append("  policies      \(note)")
        }
        lines.append("  plan          \(plan)")
        lines.append("  approver      \(summary.principal) → tag \(summary.approvalTag)")
        for refusal in summary.refusals { lines.append("  REFUSED       \(refusal)") }
        if let evaluation = summary.evaluation,
            let report = evaluation.report.targets.first(where: { $0.target == summary.target })
        {
            lines.append("")
            lines.append(PolicyReport(targets: [report]).text)
        }
        return lines.joined(separator: "\n")
    }
}
