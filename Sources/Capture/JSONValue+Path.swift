import LakegateCore

/// One step into a JSON document: a mapping key or a list index.
enum PathStep: Hashable, Sendable {
    case key(String)
    case index(Int)
}

extension JSONValue {
    /// The value at `path`, if every step exists.
    func value(at path: [PathStep]) -> JSONValue? {
        var current: JSONValue? = self
        for step in path {
            switch step {
            case .key(let key): current = current?.objectValue?[key]
            case .index(let index):
                guard let items = current?.arrayValue, items.indices.contains(index) else { return nil }
                current = items[index]
            }
        }
        return current
    }

    /// A copy with the value at `path` set (nil removes a mapping entry); missing mappings on the way are created.
    func setting(_ path: [PathStep], to value: JSONValue?) -> JSONValue {
        guard let step = path.first else { return value ?? .null }
        let rest = Array(path.dropFirst())
        switch step {
        case .key(let key):
            var members = objectValue ?? [:]
            if rest.isEmpty {
                members[key] = value
            } else {
                members[key] = (members[key] ?? .object([:])).setting(rest, to: value)
            }
            return .object(members)
        case .index(let index):
            guard var items = arrayValue, items.indices.contains(index) else { return self }
            if rest.isEmpty, value == nil {
                items.remove(at: index)
            } else {
                items[index] = rest.isEmpty ? value! : items[index].setting(rest, to: value)
            }
            return .array(items)
        }
    }
}

extension [String] {
    /// Mapping keys as path steps.
    var steps: [PathStep] { map { .key($0) } }
}
