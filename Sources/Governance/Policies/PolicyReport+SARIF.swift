import LakegateCore

extension PolicyReport {
    /// A minimal SARIF 2.1.0 log: one run, a rule per policy, a result per failure or error.
    ///
    /// `policies` supplies rule descriptions and the policy files; the target goes into each result's properties.
    public func sarif(policies: [Policy], toolVersion: String) -> JSONValue {
        let byID = Dictionary(policies.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ruleIDs = Set(targets.flatMap { $0.results.map(\.policy) }).sorted()
        let ruleIndex = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
        let rules: [JSONValue] = ruleIDs.map { id in
            let policy = byID[id]
            var rule: [String: JSONValue] = [
                "id": .string(id),
                "shortDescription": .object(["text": .string(policy?.message ?? id)]),
            ]
            if let description = policy?.description {
                rule["fullDescription"] = .object(["text": .string(description)])
            }
            if let policy {
                rule["properties"] = .object([
                    "version": .string(policy.version), "status": .string(policy.status.rawValue),
                    "scope": .string(policy.scope.rawValue), "file": .string(policy.location.path),
                ])
            }
            return .object(rule)
        }
        var results: [JSONValue] = []
        for target in targets {
            for result in target.results where result.outcome != .pass {
                let level: String =
                    switch result.severity {
                    case .error: "error"
                    case .warning: "warning"
                    case .info: "note"
                    }
                results.append(
                    .object([
                        "ruleId": .string(result.policy),
                        "ruleIndex": .int(Int64(ruleIndex[result.policy] ?? 0)),
                        "level": .string(level),
                        "message": .object(["text": .string("[\(target.target)] \(result.subject): \(result.message)")]
                        ),
                        "locations": .array([
                            .object([
                                "physicalLocation": .object([
                                    "artifactLocation": .object(["uri": .string(result.file)])
                                ])
                            ])
                        ]),
                        "properties": .object([
                            "target": .string(target.target), "subject": .string(result.subject),
                            "outcome": .string(result.outcome.rawValue), "blocking": .bool(result.blocking),
                            "policyStatus": .string(result.policyStatus.rawValue),
                        ]),
                    ]))
            }
        }
        return .object([
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": .array([
                .object([
                    "tool": .object([
                        "driver": .object([
                            "name": "lakegate",
                            "version": .string(toolVersion),
                            "rules": .array(rules),
                        ])
                    ]),
                    "results": .array(results),
                ])
            ]),
        ])
    }
}
