import Foundation

extension ReleaseGates {
    /// One gate per required trailer: every commit in its scope carries it with a matching value; each commit
    /// that does not is named.
    static func trailerGates(_ facts: ReleaseFacts, rules: GateRules) -> [ReleaseVerdict.Gate] {
        guard !rules.requiredTrailers.isEmpty else { return [] }
        guard let range = facts.range, !range.commits.isEmpty else {
            return rules.requiredTrailers.map {
                .init(name: "trailer:\($0.key)", passed: false, reason: "the release commit could not be read")
            }
        }
        let parser = TrailerParser()
        let parsed = range.commits.map { (commit: $0, trailers: parser.parse($0.message)) }
        return rules.requiredTrailers.map { required in
            let name = "trailer:\(required.key)"
            guard let regex = try? Regex(required.pattern) else {
                return .init(name: name, passed: false, reason: "invalid regular expression \(required.pattern)")
            }
            let inScope = required.scope == .release ? Array(parsed.prefix(1)) : parsed
            var missing: [String] = []
            for (commit, trailers) in inScope {
                let values = trailers.filter { $0.key.lowercased() == required.key.lowercased() }.map(\.value)
                if values.isEmpty {
                    missing.append("\(short(commit.id)) \"\(commit.title)\" has none")
                } else if !values.contains(where: { $0.wholeMatch(of: regex) != nil }) {
                    missing.append(
                        "\(short(commit.id)) \"\(commit.title)\" has \"\(values[0])\", not matching \(required.pattern)"
                    )
                }
            }
            let scope =
                required.scope == .release
                ? "the release commit"
                : "\(inScope.count) commit(s) since \(range.previous ?? "the first commit") (first parent)"
            if missing.isEmpty {
                return .init(name: name, passed: true, reason: "\(required.key) on \(scope)")
            }
            return .init(
                name: name, passed: false,
                reason: "\(missing.count) of \(scope) lack a valid \(required.key) trailer: "
                    + missing.joined(separator: "; "))
        }
    }
}
