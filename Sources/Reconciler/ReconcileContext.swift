import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore
import Planner
import Store
import Sync

/// Everything one reconcile of a product in an environment has learnt so far: made once at the start, filled in
/// by the steps (select → gate → load → plan → apply), read by the one recording step.
struct ReconcileContext: Sendable {
    /// When the pass started (for gates and `lastReconciled`).
    let now: Date
    /// When this reconcile started (audit timing, the duration metric).
    let started: Date
    /// What the environment runs now, from the state store.
    let deployed: Deployment?
    /// The hold on this product and environment, if one is active.
    let hold: Hold?

    /// Every gate's verdict, once the gates were evaluated.
    var gates: [ProductStatus.GateVerdict]?
    /// The release the environment should run, once known.
    var desiredRelease: String?
    /// The product repository, opened once by the gate step; the load step reads the selected commit from it.
    var repository: MirrorRepository?
    /// The revision that passed the gates (or was stalled by the policy set).
    var selection: ProductReconciler.Selection?
    /// The plan against the live state, once made.
    var plan: Plan?
    /// The apply's results, once it ran.
    var report: ApplyReport?
    /// The governance verdict the gate step reached (quorum and approvals for notifications).
    var verdict: ReleaseVerdict?

    /// Whether the selected commit differs from the deployed one.
    var isNewRevision: Bool { deployed?.commit != selection?.commit.hex }
}
