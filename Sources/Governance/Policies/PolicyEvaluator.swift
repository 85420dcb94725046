import CEL
import LakegateCore

/// Evaluates a set of policies against the inputs of each target.
public struct PolicyEvaluator: Sendable {
    public var policies: [Policy]
    /// Evaluation steps one expression may take on one subject.
    public var costLimit: Int

    public init(policies: [Policy], costLimit: Int = 1_000_000) {
        self.policies = policies
        self.costLimit = costLimit
    }

    /// Evaluates every applicable policy for each of `inputs` (one per target).
    public func check(_ inputs: [PolicyTargetInputs]) -> PolicyReport {
        PolicyReport(targets: inputs.map(check))
    }

    /// Evaluates the policies for one target.
    public func check(_ inputs: PolicyTargetInputs) -> PolicyTargetReport {
        var skipped: [String] = []
        var active: [(policy: Policy, severity: PolicySeverity)] = []
        for policy in policies {
            guard policy.status != .draft, var severity = policy.severity(for: inputs.target) else {
                skipped.append(policy.id)
                continue
            }
            if policy.status == .deprecated { severity = .info }
            if policy.scope == .plan, inputs.plan == nil {
                skipped.append(policy.id)
                continue
            }
            active.append((policy, severity))
        }
        var results: [PolicyResult] = []
        let common = Bindings(inputs)
        for scope in PolicyScope.allCases {
            let scoped = active.filter { $0.policy.scope == scope }
            guard !scoped.isEmpty else { continue }
            for subject in subjects(scope, inputs: inputs, common: common) {
                for (policy, severity) in scoped {
                    let (outcome, message) = evaluate(policy, subject: subject, inputs: inputs)
                    results.append(
                        PolicyResult(
                            policy: policy.id, policyStatus: policy.status, outcome: outcome, severity: severity,
                            subject: subject.name, message: message, file: subject.file))
                }
            }
        }
        return PolicyTargetReport(target: inputs.target, results: results, skipped: skipped)
    }

    /// Variables shared by every subject of a target, converted once.
    private struct Bindings {
        var dp: CELValue
        var env: CELValue
        var prev: CELValue
        var plan: CELValue
        var resources: CELValue

        init(_ inputs: PolicyTargetInputs) {
            resources = .list(inputs.state.resources.map { CELValue(json: $0.jsonValue) })
            dp = CELValue(json: inputs.dataProduct)
            env = CELValue(json: inputs.env)
            prev = inputs.previous.map { CELValue(json: $0.jsonValue) } ?? .null
            plan = inputs.plan.map(CELValue.init(json:)) ?? .null
        }
    }

    private struct Subject {
        var name: String
        var file: String
        var bindings: [String: CELValue]
        var contract: PolicyTargetInputs.ContractInput?
    }

    private func subjects(_ scope: PolicyScope, inputs: PolicyTargetInputs, common: Bindings) -> [Subject] {
        func bindings(contract: JSONValue? = nil, resource: CELValue = .null, port: JSONValue? = nil, prev: CELValue)
            -> [String: CELValue]
        {
            [
                "dp": common.dp, "env": common.env, "plan": common.plan, "prev": prev,
                "contract": contract.map(CELValue.init(json:)) ?? .null, "resource": resource,
                "port": port.map(CELValue.init(json:)) ?? .null, "resources": common.resources,
            ]
        }
        func prev(for contract: PolicyTargetInputs.ContractInput?) -> CELValue {
            guard let previous = inputs.previous else { return .null }
            guard let contract, var object = previous.jsonValue.objectValue else { return common.prev }
            object["contract"] = previous.contract(matching: contract)?.json ?? .null
            return CELValue(json: .object(object))
        }
        switch scope {
        case .dataproduct, .plan:
            return [
                Subject(
                    name: inputs.productID, file: inputs.dataProductPath, bindings: bindings(prev: common.prev),
                    contract: nil)
            ]
        case .outputport:
            return inputs.outputPorts.enumerated().map { index, port in
                let contract = inputs.contract(forPort: port)
                let name = port["name"]?.stringValue ?? String(index)
                return Subject(
                    name: "outputPorts.\(name)", file: inputs.dataProductPath,
                    bindings: bindings(contract: contract?.json, port: port, prev: prev(for: contract)),
                    contract: contract)
            }
        case .contract:
            return inputs.contracts.map { contract in
                Subject(
                    name: contract.path, file: contract.path,
                    bindings: bindings(contract: contract.json, prev: prev(for: contract)), contract: contract)
            }
        case .resource:
            guard case .list(let resourceValues) = common.resources else { return [] }
            return inputs.state.resources.enumerated().map { index, resource in
                Subject(
                    name: resource.key, file: inputs.dataProductPath,
                    bindings: bindings(resource: resourceValues[index], prev: common.prev), contract: nil)
            }
        }
    }

    private func evaluate(_ policy: Policy, subject: Subject, inputs: PolicyTargetInputs) -> (PolicyOutcome, String) {
        if let builtin = policy.builtin {
            return evaluate(builtin, policy: policy, subject: subject, inputs: inputs)
        }
        guard let program = policy.program else { return (.error, "policy has no compiled expression") }
        do {
            let value = try program.evaluate(subject.bindings, costLimit: costLimit)
            guard case .bool(let passed) = value else {
                return (.error, "expression returned a \(value.celType), not a bool")
            }
            return passed ? (.pass, "") : (.fail, policy.message)
        } catch {
            return (.error, "evaluation failed: \(error.message)")
        }
    }

    private func evaluate(
        _ builtin: BuiltinCheck, policy: Policy, subject: Subject, inputs: PolicyTargetInputs
    ) -> (PolicyOutcome, String) {
        switch builtin {
        case .contractBreakingChanges:
            guard let contract = subject.contract, let previous = inputs.previous?.contract(matching: contract) else {
                return (.pass, "")
            }
            let report = ContractDiff.compare(old: previous.json, new: contract.json, perspective: .consumer)
            guard report.breaking else { return (.pass, "") }
            // A consumer-breaking change is allowed with a new major version.
            if let old = Self.major(previous.json["version"]), let new = Self.major(contract.json["version"]), new > old
            {
                return (.pass, "")
            }
            let errors = report.changes(at: .error)
            let listed = errors.prefix(3).map { "\($0.path) (\($0.rule))" }.joined(separator: ", ")
            let more = errors.count > 3 ? " and \(errors.count - 3) more" : ""
            return (.fail, "\(policy.message): \(listed)\(more)")
        }
    }

    /// The major component of a contract version such as `1.2.0`: a bump lets a breaking change through.
    static func major(_ version: JSONValue?) -> Int? {
        guard let text = version?.stringValue, let first = text.split(separator: ".").first else { return nil }
        return Int(first)
    }
}
