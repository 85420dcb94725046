import Foundation
import LakegateCore

extension ReleaseGates {
    /// The built-in validity check: the candidate's files load and validate.
    static func validityGate(_ candidate: ReleaseFacts.ContractSet) -> ReleaseVerdict.Gate {
        if let problem = candidate.problem {
            return .init(name: "product-valid", passed: false, reason: problem)
        }
        return .init(
            name: "product-valid", passed: true,
            reason: "the product loads and validates (\(candidate.contracts.count) contract(s))")
    }

    /// The built-in contract-integrity check: no consumer-breaking change against any release consumers have now,
    /// unless the contract's major version was bumped (ODCS and datacontract-cli semantics), which is reported.
    static func contractGate(_ facts: ReleaseFacts.ContractFacts) -> ReleaseVerdict.Gate {
        let name = "contract-integrity"
        let references = facts.references.filter { $0.release != facts.candidate.release }
        guard !references.isEmpty else {
            let reason =
                facts.references.isEmpty
                ? "first release: nothing to compare with" : "\(facts.candidate.release) is what consumers have now"
            return .init(name: name, passed: true, reason: reason)
        }
        var problems: [String] = []
        var accepted: [String] = []
        for reference in references {
            if let problem = reference.problem {
                problems.append("\(reference.release): \(problem)")
                continue
            }
            let result = compare(old: reference.contracts, new: facts.candidate.contracts)
            problems += result.breaking.map { "\($0) (since \(reference.release))" }
            accepted += result.accepted.map { "\($0) (since \(reference.release))" }
        }
        let since = references.map(\.release).joined(separator: ", ")
        if !problems.isEmpty, facts.ranHereBefore {
            return .init(
                name: name, passed: true,
                reason: "\(facts.candidate.release) ran here before (a rollback); breaking changes against newer "
                    + "releases reported, not blocking: " + problems.prefix(5).joined(separator: "; "))
        }
        if !problems.isEmpty {
            return .init(
                name: name, passed: false,
                reason: "breaking changes without a major version bump: " + problems.prefix(5).joined(separator: "; ")
                    + (problems.count > 5 ? "; … \(problems.count - 5) more" : ""))
        }
        if !accepted.isEmpty {
            return .init(
                name: name, passed: true,
                reason: "breaking changes accepted with a major version bump: "
                    + accepted.prefix(5).joined(separator: "; "))
        }
        return .init(name: name, passed: true, reason: "no breaking change since \(since)")
    }

    /// Breaking changes of `new` against `old` per contract (matched by `id`, else path), split into those a
    /// major version bump accepts and those it does not.
    static func compare(old: [String: JSONValue], new: [String: JSONValue]) -> (breaking: [String], accepted: [String])
    {
        var breaking: [String] = []
        var accepted: [String] = []
        var matched: Set<String> = []
        for (path, contract) in new.sorted(by: { $0.key < $1.key }) {
            let id = contract["id"]?.stringValue
            let previous =
                old.first { id != nil && $0.value["id"]?.stringValue == id }
                ?? old.first { $0.key == path }
            guard let (oldPath, oldContract) = previous else { continue }
            matched.insert(oldPath)
            let report = ContractDiff.compare(old: oldContract, new: contract, perspective: .consumer)
            let errors = report.changes.filter { $0.level == .error }
            guard !errors.isEmpty else { continue }
            let changes = errors.prefix(3).map { "\($0.path) \($0.kind.rawValue) (\($0.rule))" }.joined(separator: ", ")
            let before = oldContract["version"]?.stringValue
            let after = contract["version"]?.stringValue
            if let before, let after, let oldMajor = PolicyEvaluator.major(oldContract["version"]),
                let newMajor = PolicyEvaluator.major(contract["version"]), newMajor > oldMajor
            {
                accepted.append("\(path): major version \(before) → \(after): \(changes)")
            } else {
                let version = "version \(before ?? "?") → \(after ?? "?"), major not bumped"
                breaking.append("\(path): \(changes) [\(version)]")
            }
        }
        for path in old.keys.sorted() where !matched.contains(path) {
            breaking.append("\(path): contract removed")
        }
        return (breaking, accepted)
    }
}
