import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore

/// `lakegate approve`: shows what is being approved, then creates the signed tag `approval/<env>/<release>/<who>`
/// on the release tag object.
public struct Approver: Sendable {
    public var productPath: String
    /// The release tag, e.g. `v1.2.0` or `dp/orders/v1.2.0`.
    public var release: String
    public var target: String
    /// The signing key, the approver's message and the environment git's identity comes from.
    public var authoring: TagAuthoring
    /// The policy directory; policies are evaluated only when it exists.
    public var policies: String?
    /// An allowed_signers file: names the approver (the principal of the signing key) and the release signer.
    public var allowedSigners: String?
    /// Revoked public keys: an approval by one of them is refused.
    public var revoked: String?
    /// Four eyes: the release's signer and the authors of its range may not approve it.
    public var fourEyes: Bool = true
    /// The governance verdict `serve` reaches for the release in the target (from `lakegate.yaml`): every failing
    /// gate refuses the approval but those an approval itself settles (the quorum, superseding a tampered
    /// deployed release).
    public var verdict: ReleaseVerdict?
    /// The digest of the plan serve would run for the release in the target (`gates.bindPlan`): recorded as the
    /// tag's `Approved-Plan:` trailer, so the approval counts only for that plan.
    public var planDigest: String?
    }
}
