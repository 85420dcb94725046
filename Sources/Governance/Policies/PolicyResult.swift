import LakegateCore

/// The outcome of one policy on one subject.
public enum PolicyOutcome: String, Sendable, Hashable {
    case pass
    case fail
    /// The expression could not be evaluated (a missing key, a non-Boolean result, the cost limit).
    case error
}

/// One policy evaluated against one subject of one target.
public struct PolicyResult: Sendable, Hashable {
    public var policy: String
    public var policyStatus: PolicyStatus
    public var outcome: PolicyOutcome
    public var severity: PolicySeverity
    /// What was checked: the product id, `outputPorts.<name>`, a contract path, or a resource key.
    public var subject: String
    /// The policy message on failure, the evaluation error on error, empty on pass.
    public var message: String
    /// The file the subject comes from, for SARIF.
    public var file: String
    /// Whether this result stops a deploy: an enabled policy of severity `error` that failed or errored.
    public var blocking: Bool {
        outcome != .pass && policyStatus == .enabled && severity == .error
    }

    public var jsonValue: JSONValue {
        .object([
            "policy": .string(policy),
            "status": .string(outcome.rawValue),
            "severity": .string(severity.rawValue),
            "subject": .string(subject),
            "message": .string(message),
            "policyStatus": .string(policyStatus.rawValue),
            "blocking": .bool(blocking),
        ])
    }
}

/// The results of one target.
public struct PolicyTargetReport: Sendable, Hashable {
    public var target: String
    public var results: [PolicyResult]
    /// Policies left out because they are drafts or have no severity for this target.
    public var skipped: [String]

    /// No blocking result.
    public var passed: Bool { !results.contains { $0.blocking } }

    public var jsonValue: JSONValue {
        .object([
            "target": .string(target),
            "passed": .bool(passed),
            "results": .array(results.map(\.jsonValue)),
            "skipped": .array(skipped.map(JSONValue.string)),
        ])
    }
}

/// The results of a `policy check` run over one or more targets.
public struct PolicyReport: Sendable, Hashable {
    public var targets: [PolicyTargetReport]

    public init(targets: [PolicyTargetReport]) {
        self.targets = targets
    }

    /// Every requested target passed.
    public var passed: Bool { targets.allSatisfy(\.passed) }

    /// `{"targets": [{"target", "passed", "results": [...]}]}`.
    public var jsonValue: JSONValue {
        .object(["passed": .bool(passed), "targets": .array(targets.map(\.jsonValue))])
    }
}
