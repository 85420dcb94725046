import LakegateCore

extension YAMLNode {
    /// The node as JSON: integers as `.int`, floats as `.double`, Booleans, nulls, mappings as objects.
    ///
    /// A later duplicate key (which the parser already reports) wins.
    public var jsonValue: JSONValue {
        switch content {
        case .scalar(let s):
            return s.resolved
        case .sequence(let items):
            return .array(items.map(\.jsonValue))
        case .mapping(let pairs):
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(pairs.count)
            for pair in pairs { members[pair.key] = pair.value.jsonValue }
            return .object(members)
        }
    }
}

extension YAMLNode {
    /// A node tree for a JSON value (read from a JSON file), every node placed at `location`.
    public init(json: JSONValue, location: SourceLocation) {
        switch json {
        case .null: self.init(.scalar(YAMLScalar(text: "null")), location: location)
        case .bool(let b): self.init(.scalar(YAMLScalar(text: b ? "true" : "false")), location: location)
        case .int(let i): self.init(.scalar(YAMLScalar(text: String(i))), location: location)
        case .double(let d):
            self.init(.scalar(YAMLScalar(text: "\(d)", tag: "tag:yaml.org,2002:float")), location: location)
        case .string(let s): self.init(.scalar(YAMLScalar(text: s, style: .doubleQuoted)), location: location)
        case .array(let items):
            self.init(.sequence(items.map { YAMLNode(json: $0, location: location) }), location: location)
        case .object(let members):
            let pairs = members.keys.sorted().map {
                YAMLPair(key: $0, keyLocation: location, value: YAMLNode(json: members[$0]!, location: location))
            }
            self.init(.mapping(pairs), location: location)
        }
    }
}
