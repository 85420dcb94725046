import LakegateCore

/// Breaking-change detection between two versions of an ODCS contract.
///
/// The model of datacontract-cli 1.2: named lists are keyed by their natural key, the two trees are diffed
/// into typed changes, each change gets a direction from the first matching rule, and the direction becomes a
/// level for the chosen perspective. Lakegate's governance rules then raise a loosened classification, a
/// removed PII tag or column mask, and a changed physical name to errors for both perspectives.
public enum ContractDiff {
    /// Compares `old` with `new` (whole ODCS documents as JSON) for `perspective`.
    public static func compare(
        old: JSONValue, new: JSONValue, perspective: ContractPerspective = .consumer
    ) -> ContractDiffReport {
        let before = ContractNormalizer.normalize(old)
        let after = ContractNormalizer.normalize(new)
        var raw: [RawChange] = []
        diff(before, after, at: [], into: &raw)
        let trees = Trees(before: before, after: after)
        var changes = raw.map { change in classify(change, trees: trees, perspective: perspective) }
        // An added or removed element carries the grade for everything inside it.
        let elements = Set(
            changes.indices.filter {
                changes[$0].kind != .updated && changes[$0].rule != ContractRules.metadataRule
            }.map { raw[$0].segments })
        for index in changes.indices {
            let segments = raw[index].segments
            let underElement = (1..<max(segments.count, 1)).contains { elements.contains(Array(segments.prefix($0))) }
            if underElement {
                changes[index].direction = .untested
                changes[index].level = .info
            }
        }
        let order = changes.indices.sorted { (changes[$0].path, $0) < (changes[$1].path, $1) }
        return ContractDiffReport(perspective: perspective, changes: order.map { changes[$0] })
    }

    struct RawChange {
        var segments: [String]
        var kind: ContractChangeKind
        var old: JSONValue?
        var new: JSONValue?
        var path: String { segments.joined(separator: ".") }
    }

    struct Trees {
        var before: JSONValue
        var after: JSONValue
    }

    private static func classify(_ change: RawChange, trees: Trees, perspective: ContractPerspective)
        -> ContractChange
    {
        if let governance = ContractRules.governance(change, trees: trees) {
            return ContractChange(
                path: change.path, kind: change.kind, rule: governance.rule, direction: governance.direction,
                level: .error, old: change.old, new: change.new)
        }
        let (rule, direction) = ContractRules.classify(change, trees: trees)
        let level: ChangeLevel
        switch (direction, perspective) {
        case (.both, _): level = .error
        case (.undetermined, _): level = .warning
        case (.tightens, .producer), (.loosens, .consumer): level = .error
        default: level = .info
        }
        return ContractChange(
            path: change.path, kind: change.kind, rule: rule, direction: direction, level: level, old: change.old,
            new: change.new)
    }

    // MARK: Tree diff

    private static func diff(_ old: JSONValue, _ new: JSONValue, at segments: [String], into changes: inout [RawChange])
    {
        switch (old, new) {
        case (.object(let a), .object(let b)):
            for key in a.keys.sorted() {
                if let newValue = b[key] {
                    diff(a[key]!, newValue, at: segments + [key], into: &changes)
                } else {
                    expand(a[key]!, kind: .removed, at: segments + [key], into: &changes)
                }
            }
            for key in b.keys.sorted() where a[key] == nil {
                expand(b[key]!, kind: .added, at: segments + [key], into: &changes)
            }
        case (.array(let a), .array(let b)):
            diffList(a, b, at: segments, into: &changes)
        default:
            if old != new {
                changes.append(RawChange(segments: segments, kind: .updated, old: old, new: new))
            }
        }
    }

    /// An added or removed value: one change for it, and one for each member when it is an object.
    private static func expand(
        _ value: JSONValue, kind: ContractChangeKind, at segments: [String], into changes: inout [RawChange]
    ) {
        if case .object(let members) = value {
            changes.append(RawChange(segments: segments, kind: kind, old: nil, new: nil))
            for key in members.keys.sorted() {
                expand(members[key]!, kind: kind, at: segments + [key], into: &changes)
            }
        } else {
            changes.append(
                RawChange(
                    segments: segments, kind: kind, old: kind == .removed ? .some(value) : .none,
                    new: kind == .added ? .some(value) : .none))
        }
    }

    /// Lists without a natural key compare as multisets; a removed and an added item are paired in order.
    private static func diffList(
        _ old: [JSONValue], _ new: [JSONValue], at segments: [String], into changes: inout [RawChange]
    ) {
        var remaining = new
        var removed: [JSONValue] = []
        for item in old {
            if let index = remaining.firstIndex(of: item) {
                remaining.remove(at: index)
            } else {
                removed.append(item)
            }
        }
        let added = remaining
        let paired = min(removed.count, added.count)
        for index in 0..<paired {
            if case .object = removed[index], case .object = added[index] {
                diff(removed[index], added[index], at: segments, into: &changes)
            } else {
                changes.append(RawChange(segments: segments, kind: .updated, old: removed[index], new: added[index]))
            }
        }
        for item in removed.dropFirst(paired) {
            changes.append(listItemChange(item, kind: .removed, at: segments))
        }
        for item in added.dropFirst(paired) {
            changes.append(listItemChange(item, kind: .added, at: segments))
        }
    }

    private static func listItemChange(_ item: JSONValue, kind: ContractChangeKind, at segments: [String]) -> RawChange
    {
        // A string item (a tag) is named by its value, as datacontract-cli does.
        let path = item.stringValue.map { segments + [$0] } ?? segments
        return RawChange(
            segments: path, kind: kind, old: kind == .removed ? .some(item) : .none,
            new: kind == .added ? .some(item) : .none)
    }
}
