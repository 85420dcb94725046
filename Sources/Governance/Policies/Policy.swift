import CEL
import LakegateCore

/// Where a policy is in its lifecycle.
public enum PolicyStatus: String, Sendable, Hashable, CaseIterable {
    /// Being written: not evaluated.
    case draft
    /// Evaluated and reported; failures never block, so teams can adapt before it is enabled.
    case grace
    /// Evaluated; a failure blocks deploys to the targets where its severity is `error`.
    case enabled
    /// On its way out: evaluated and reported as information only.
    case deprecated
}

/// How serious a failure is, per target.
public enum PolicySeverity: String, Sendable, Hashable, CaseIterable {
    case info
    case warning
    case error
}

/// What a policy is evaluated against, and how many times.
public enum PolicyScope: String, Sendable, Hashable, CaseIterable {
    /// Once per product and target.
    case dataproduct
    /// Once per output port of `dataproduct.yaml` (`port` is set, `contract` is the port's contract).
    case outputport
    /// Once per data contract.
    case contract
    /// Once per rendered resource of the target.
    case resource
    /// Once, with `plan` set, when checked against a plan.
    case plan
}

/// A check that Lakegate runs natively instead of a CEL expression.
public enum BuiltinCheck: String, Sendable, Hashable, CaseIterable {
    /// Breaking changes of each contract against the previous release (consumer perspective), see ``ContractDiff``.
    case contractBreakingChanges = "contract-breaking-changes"
}

/// One executable rule, as loaded from a policy file.
public struct Policy: Sendable {
    public var id: String
    public var version: String
    public var status: PolicyStatus
    /// Severity per target name; `defaultSeverity` applies to targets not listed.
    public var severities: [String: PolicySeverity]
    public var defaultSeverity: PolicySeverity?
    public var scope: PolicyScope
    /// The CEL source; nil for a built-in check.
    public var expression: String?
    public var builtin: BuiltinCheck?
    public var message: String
    public var description: String?
    /// A free grouping such as `access-control`, for reports.
    public var category: String?
    /// Where the policy file is.
    public var location: SourceLocation
    /// The compiled expression.
    var program: CELProgram?

    /// The severity for `target`, or nil when the policy does not apply there.
    public func severity(for target: String) -> PolicySeverity? {
        severities[target] ?? defaultSeverity
    }
}
