import LakegateCore

/// A YAML node with its position: a mapping (ordered pairs), a sequence or a scalar.
///
/// Every node and every mapping key carries the ``SourceLocation`` it was read from, so that any later
/// check can report `path:line:column`.
public struct YAMLNode: Sendable, Hashable {
    /// What the node holds.
    public enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    /// The node's content.
    public var content: Content
    /// Where the node starts.
    public var location: SourceLocation

    public init(_ content: Content, location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// The scalar, when this is a scalar.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The items, when this is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The pairs in file order, when this is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The value of `key`, when this is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key == key }?.value
    }

    /// The pair for `key`, when this is a mapping that has it.
    public func pair(_ key: String) -> YAMLPair? {
        mapping?.first { $0.key == key }
    }

    /// The scalar's text, when this is a scalar that is not null.
    public var text: String? {
        guard let s = scalar, !s.isNull else { return nil }
        return s.text
    }

    /// `scalar`, `sequence` or `mapping` (or `null`), for messages.
    public var kindDescription: String {
        switch content {
        case .scalar(let s): s.isNull ? "null" : s.resolvedTypeName
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// One `key: value` entry of a YAML mapping, with the key's own position.
public struct YAMLPair: Sendable, Hashable {
    /// The key text.
    public var key: String
    /// Where the key is written.
    public var keyLocation: SourceLocation
    /// The value.
    public var value: YAMLNode
}

/// A YAML scalar: its text, explicit tag and quoting style.
public struct YAMLScalar: Sendable, Hashable {
    /// How the scalar was written.
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// The scalar text after YAML unescaping.
    public var text: String
    /// An explicit tag such as `tag:yaml.org,2002:str` (from `!!str`), or nil when untagged.
    public var tag: String?
    /// The quoting style.
    public var style: Style

    public init(text: String, tag: String? = nil, style: Style = .plain) {
        self.text = text
        self.tag = tag
        self.style = style
    }

    /// The scalar resolved by the YAML 1.2 core schema (quoted scalars are always strings).
    public var resolved: JSONValue {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str": return .string(text)
            case "tag:yaml.org,2002:int": if let i = Self.parseInt(text) { return .int(i) }
            case "tag:yaml.org,2002:float": if let d = Self.parseFloat(text) { return .double(d) }
            case "tag:yaml.org,2002:bool": if let b = Self.parseBool(text) { return .bool(b) }
            case "tag:yaml.org,2002:null": return .null
            default: break
            }
            return .string(text)
        }
        guard style == .plain else { return .string(text) }
        // Most plain scalars are words: only text starting like a number, a Boolean or a null needs resolving.
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "~"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"),
            UInt8(ascii: "n"), UInt8(ascii: "N"):
            break
        default:
            return .string(text)
        }
        if Self.isNull(text) { return .null }
        if let b = Self.parseBool(text) { return .bool(b) }
        if let i = Self.parseInt(text) { return .int(i) }
        if let d = Self.parseFloat(text) { return .double(d) }
        return .string(text)
    }

    /// Whether the scalar is a YAML null (`~`, `null`, or nothing).
    public var isNull: Bool {
        if tag == nil {
            return style == .plain && Self.isNull(text)
        }
        if case .null = resolved { return true }
        return false
    }

    /// `a string`, `an integer`, `a number`, `a Boolean` or `null`, for messages.
    public var resolvedTypeName: String {
        switch resolved {
        case .null: "null"
        case .bool: "a Boolean"
        case .int: "an integer"
        case .double: "a number"
        default: "a string"
        }
    }

    static func isNull(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    static func parseInt(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        var magnitude: Int64?
        if body.hasPrefix("0x") {
            magnitude = Int64(body.dropFirst(2), radix: 16)
        } else if body.hasPrefix("0o") {
            magnitude = Int64(body.dropFirst(2), radix: 8)
        } else if body.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            magnitude = Int64(body)
        }
        guard let magnitude else { return nil }
        return negative ? -magnitude : magnitude
    }

    static func parseFloat(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        var digits = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits = true
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): break
            default: return nil
            }
        }
        return digits ? Double(text) : nil
    }
}
