import LakegateCore
import Planner

/// What happened to one action of an applied plan.
public struct ActionResult: Sendable, Hashable {
    /// How the action ended.
    public enum Status: Sendable, Hashable {
        case succeeded
        /// A call failed: the message says which and why.
        case failed(String)
        /// Not run because an action it depends on failed or was skipped.
        case skipped(because: String)
    }

    public var type: PlanActionType
    public var kind: ResourceKind
    public var key: String
    public var name: String
    public var status: Status
    /// Workspace calls made (operations performed).
    public var operations: Int
    /// True when a create met an owned object that already existed and adopted it.
    public var adoptedExisting: Bool
}

/// Every result of one apply, with a summary.
public struct ApplyReport: Sendable {
    public var results: [ActionResult]

    public init(results: [ActionResult]) {
        self.results = results
    }

    /// Results that failed.
    public var failed: [ActionResult] {
        results.filter { if case .failed = $0.status { return true } else { return false } }
    }

    /// Results that were skipped.
    public var skipped: [ActionResult] {
        results.filter { if case .skipped = $0.status { return true } else { return false } }
    }

    /// Whether every action succeeded.
    public var succeeded: Bool { failed.isEmpty && skipped.isEmpty }

    /// Operations performed in total.
    public var operations: Int { results.reduce(0) { $0 + $1.operations } }

    /// `Apply complete: 3 created, 1 updated, 0 replaced, 0 deleted, 0 adopted.` or the failures and skips.
    public var summary: String {
        func count(_ type: PlanActionType) -> Int {
            results.filter { $0.type == type && $0.status == .succeeded }.count
        }
        var lines: [String] = []
        for result in results {
            switch result.status {
            case .succeeded: continue
            case .failed(let message): lines.append("failed: \(result.key) (\(result.name)): \(message)")
            case .skipped(let because):
                lines.append("skipped: \(result.key): depends on \(because), which did not succeed")
            }
        }
        let counts =
            "\(count(.create)) created, \(count(.update)) updated, \(count(.replace)) replaced, "
            + "\(count(.delete)) deleted, \(count(.adopt)) adopted"
        if succeeded {
            lines.append("Apply complete: \(counts).")
        } else {
            lines.append("Apply failed: \(failed.count) failed, \(skipped.count) skipped; \(counts).")
        }
        return lines.joined(separator: "\n")
    }
}
