import LakegateCore

/// The changes between two contracts for one perspective.
public struct ContractDiffReport: Sendable, Hashable {
    public var perspective: ContractPerspective
    /// Every change, sorted by path.
    public var changes: [ContractChange]

    public init(perspective: ContractPerspective, changes: [ContractChange]) {
        self.perspective = perspective
        self.changes = changes
    }

    /// Whether any change is an error for this perspective.
    public var breaking: Bool { changes.contains { $0.level == .error } }

    /// The changes at `level`.
    public func changes(at level: ChangeLevel) -> [ContractChange] { changes.filter { $0.level == level } }

    /// `{"breaking", "perspective", "changes": [...]}`.
    public var jsonValue: JSONValue {
        .object([
            "breaking": .bool(breaking),
            "perspective": .string(perspective.rawValue),
            "changes": .array(changes.map(\.jsonValue)),
        ])
    }

    /// One line per change, then a summary line.
    public var text: String {
        var lines: [String] = []
        for change in changes {
            var line = "\(change.level.rawValue.padding(7)) \(change.kind.rawValue.padding(7)) \(change.path)"
            line += "  [\(change.rule), \(change.direction.rawValue)]"
            if let old = change.old, let new = change.new {
                line += ": \(old.compactText) -> \(new.compactText)"
            } else if let old = change.old {
                line += ": was \(old.compactText)"
            } else if let new = change.new {
                line += ": \(new.compactText)"
            }
            lines.append(line)
        }
        let errors = changes(at: .error).count
        let warnings = changes(at: .warning).count
        let infos = changes(at: .info).count
        let verdict = breaking ? "breaking" : "not breaking"
        lines.append(
            "\(verdict) for the \(perspective.rawValue): \(errors) error(s), \(warnings) warning(s), \(infos) info")
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

extension JSONValue {
    /// A string without quotes, anything else as canonical JSON.
    var compactText: String {
        if case .string(let s) = self { return s }
        return canonicalJSON
    }
}
