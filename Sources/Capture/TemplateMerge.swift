import LakegateCore

/// Three-way merge of a value as written (with `${…}` references), the same value resolved for a target, and the
/// value read from the workspace: whatever resolves to the live value is kept as written, everything else
/// becomes the live value.
enum TemplateMerge {
    /// - Parameters:
    ///   - written: the value in the product file.
    ///   - resolved: `written` after interpolation (same shape).
    ///   - live: the value to end up with, in the file's shape.
    ///   - unordered: keys whose lists carry no order: existing items keep their place, new ones are appended.
    static func merge(written: JSONValue?, resolved: JSONValue?, live: JSONValue?, unordered: Set<String> = [])
        -> JSONValue?
    {
        merge(written, resolved, live, key: nil, unordered: unordered)
    }

    private static func merge(
        _ written: JSONValue?, _ resolved: JSONValue?, _ live: JSONValue?, key: String?, unordered: Set<String>
    ) -> JSONValue? {
        if resolved == live { return written }
        guard let written, let resolved, let live else { return live }
        switch (written, resolved, live) {
        case (.object(let w), .object(let r), .object(let l)):
            var result: [String: JSONValue] = [:]
            for member in Set(w.keys).union(l.keys) {
                result[member] = merge(w[member], r[member], l[member], key: member, unordered: unordered)
            }
            return .object(result)
        case (.array(let w), .array(let r), .array(let l)) where w.count == r.count:
            let matches = Identity.match(old: r, new: l)
            var merged: [(position: Int, value: JSONValue)] = []
            for (index, item) in l.enumerated() {
                if let old = matches[index], let value = merge(w[old], r[old], item, key: nil, unordered: unordered) {
                    merged.append((old, value))
                } else {
                    merged.append((r.count + index, item))
                }
            }
            if let key, unordered.contains(key) { merged.sort { $0.position < $1.position } }
            return .array(merged.map(\.value))
        default:
            return live
        }
    }
}
