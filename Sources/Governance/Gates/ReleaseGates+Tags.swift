import Foundation

extension ReleaseGates {
    /// The release tag: present, annotated and named as its ref, where it was first seen, signed.
    static func tagGates(_ facts: ReleaseFacts, release: String, rules: GateRules) -> [ReleaseVerdict.Gate] {
        if facts.prospective { return [] }
        guard let tag = facts.tag else {
            let seen = facts.firstSeen.map { " (first seen at \(short($0.object)) on \(format($0.at)))" } ?? ""
            return [
                .init(
                    name: "release-tag-present", passed: false,
                    reason: "\(release) was deleted\(seen); the environment keeps what it runs", failure: .security)
            ]
        }
        var gates: [ReleaseVerdict.Gate] = []
        if !tag.annotated {
            gates.append(
                .init(
                    name: "release-tag-annotated", passed: false,
                    reason: "\(release) is a lightweight tag (points straight at \(short(tag.object))); releases "
                        + "must be annotated tags"))
        } else if tag.name != release {
            gates.append(
                .init(
                    name: "release-tag-annotated", passed: false,
                    reason: "the tag object is named \(tag.name ?? "?") but is found under \(release)",
                    failure: .security))
        } else if tag.targetType != "commit" {
            gates.append(
                .init(
                    name: "release-tag-annotated", passed: false,
                    reason: "the tag points at a \(tag.targetType ?? "?"), not a commit"))
        } else {
            gates.append(
                .init(name: "release-tag-annotated", passed: true, reason: "annotated tag object \(short(tag.object))"))
        }

        if let first = facts.firstSeen, first.object != tag.object {
            let how =
                first.commit != nil && first.commit == facts.commit
                ? "re-signed: the same commit \(short(first.commit!)) under a new tag object"
                : "moved: now at commit \(facts.commit.map(short) ?? "?")"
                    + (first.commit.map { ", first at commit \(short($0))" } ?? "")
            gates.append(
                .init(
                    name: "release-tag-not-moved", passed: false,
                    reason: "\(release) \(how) (tag object \(short(first.object)) first seen on \(format(first.at)), "
                        + "now \(short(tag.object))); refused, the environment keeps what it runs",
                    failure: .security))
        } else {
            gates.append(.init(name: "release-tag-not-moved", passed: true, reason: "points where it was first seen"))
        }

        if rules.requireSignedRelease {
            let reason = tag.annotated ? tag.signature.reason : "a lightweight tag carries no signature"
            gates.append(
                .init(name: "release-tag-signed", passed: tag.annotated && tag.signature.valid, reason: reason))
        } else {
            gates.append(
                .init(name: "release-tag-signed", passed: true, reason: "not required (\(tag.signature.reason))"))
        }
        return gates
    }

    /// The environments the release must have converged in first.
    static func promotionGates(_ facts: ReleaseFacts, release: String) -> [ReleaseVerdict.Gate] {
        facts.promotion.map { required in
            if required.converged {
                return .init(
                    name: "promotion:\(required.environment)", passed: true,
                    reason: "\(release) converged in \(required.environment)")
            }
            let running = required.running.map { " (it runs \($0))" } ?? " (it runs nothing yet)"
            return .init(
                name: "promotion:\(required.environment)", passed: false,
                reason: "\(release) has not converged in \(required.environment)\(running)", failure: .pending)
        }
    }

    /// What the environment runs stays unless the candidate supersedes it: never a fallback by itself.
    static func deployedGate(_ deployed: ReleaseFacts.DeployedFacts, release: String) -> [ReleaseVerdict.Gate] {
        guard let broken = deployed.broken, deployed.release != release else { return [] }
        if deployed.candidateSupersedes {
            return [
                .init(
                    name: "deployed-release-intact", passed: true,
                    reason: "\(deployed.release) \(broken); \(release) supersedes it")
            ]
        }
        return [
            .init(
                name: "deployed-release-intact", passed: false,
                reason: "\(deployed.release), which this environment runs, \(broken); it is not replaced by the "
                    + "older \(release) by itself (approve a release anew to roll back)",
                failure: .security)
        ]
    }

    static func short(_ id: String) -> String { String(id.prefix(12)) }

    static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
