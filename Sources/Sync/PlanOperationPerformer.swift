import LakegateCore
import Planner

/// What one operation achieved.
public enum OperationOutcome: Sendable, Equatable {
    /// Done; the live id when the operation created the object (job id, space id, full name).
    case done(liveID: String?)
    /// The object to create exists already.
    case alreadyExists
}

/// Carries out single plan operations against a workspace. ``PlanExecutor`` decides what runs and when.
public protocol PlanOperationPerformer: Sendable {
    /// Performs `operation` of `action`; `liveID` is the object's id once known.
    func perform(_ operation: PlanOperation, of action: PlanAction, liveID: String?) async throws -> OperationOutcome

    /// When a create meets "already exists": the live id if the object carries this product's ownership
    /// markers (so it is adopted), nil if it belongs to someone else.
    func ownedLiveID(of action: PlanAction) async -> String?
}
