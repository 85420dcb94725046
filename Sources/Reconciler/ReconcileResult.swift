import Foundation

/// What one reconcile came to, with what each outcome carries: the typed counterpart of ``ReconcileOutcome``,
/// which is its stored name.
public enum ReconcileResult: Sendable {
    /// Every action of the plan succeeded; `summary` is the plan's summary line.
    case applied(summary: String)
    /// Nothing to apply. `drift` counts owned resources that differ where self-heal is off (reported only).
    case noChange(reason: String, drift: Int)
    /// A gate is pending (quorum, a hold, manual sync); looked at again at `retryAt`.
    case waiting(reason: String, retryAt: Date)
    /// A new commit (or an operator) is needed: invalid files, a moved tag, a blocking policy, a refused plan.
    case stalled(reason: String)
    /// Something failed that may pass later; retried with the environment's backoff.
    case failed(any Error)

    /// The stored name of the outcome (audit, deployments, status).
    public var outcome: ReconcileOutcome {
        switch self {
        case .applied: .applied
        case .noChange: .noChange
        case .waiting: .waiting
        case .stalled: .stalled
        case .failed: .failed
        }
    }

    /// Why, in one line (the apply report of a failed apply may take several).
    public var message: String {
        switch self {
        case .applied(let summary): "applied: \(summary)"
        case .noChange(let reason, _), .waiting(let reason, _), .stalled(let reason): reason
        case .failed(let error): "\(error)"
        }
    }
}

/// A reconcile step that failed, with the step it failed in and why.
struct ReconcileStepError: Error, CustomStringConvertible {
    /// What the step was doing, as in "selecting the revision".
    var step: String
    var underlying: any Error

    var description: String { "\(step): \(underlying)" }
}

/// A failure that is already a sentence: an apply in which an action failed (its report's summary), a gate
/// that could not be evaluated (a governance repository that did not load).
struct ReconcileFailure: Error, CustomStringConvertible {
    var description: String
}
