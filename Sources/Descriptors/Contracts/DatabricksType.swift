import LakegateCore

/// Maps ODCS property types to Databricks SQL types, written as `type_text` reports them (lower case).
public enum DatabricksType {
    /// Why a type does not map, and where it is written.
    public struct Problem: Error, Sendable, Hashable {
        public var location: SourceLocation
        public var message: String
    }

    /// ODCS `logicalType` → Databricks type for scalar logical types.
    public static let logicalTypes: [String: String] = [
        "string": "string", "date": "date", "timestamp": "timestamp", "time": "string", "integer": "bigint",
        "number": "double", "boolean": "boolean",
    ]

    static let aliases: [String: String] = [
        "long": "bigint", "integer": "int", "short": "smallint", "byte": "tinyint", "real": "float",
        "dec": "decimal", "numeric": "decimal", "bool": "boolean", "text": "string",
    ]
    static let primitives: Set<String> = [
        "string", "bigint", "int", "smallint", "tinyint", "double", "float", "boolean", "date", "timestamp",
        "timestamp_ntz", "binary", "variant",
    ]

    /// The Databricks type of an ODCS property: its `physicalType` normalized, or one mapped from `logicalType`.
    public static func forProperty(_ property: YAMLNode) -> Result<String, Problem> {
        if let physical = property["physicalType"], let text = physical.text {
            guard let type = normalize(text) else {
                return .failure(
                    Problem(
                        location: physical.location,
                        message: "physicalType '\(text)' does not map to a Databricks type"))
            }
            return .success(type)
        }
        guard let logical = property["logicalType"], let text = logical.text else {
            return .failure(
                Problem(location: property.location, message: "property needs a physicalType or a logicalType"))
        }
        switch text {
        case "array":
            guard let items = property["items"], items.mapping != nil else {
                return .failure(
                    Problem(
                        location: logical.location,
                        message: "logicalType 'array' needs 'items' to map to a Databricks type"))
            }
            return forProperty(items).map { "array<\($0)>" }
        case "object":
            guard let fields = property["properties"]?.sequence, !fields.isEmpty else {
                return .failure(
                    Problem(
                        location: logical.location,
                        message: "logicalType 'object' needs 'properties' to map to a Databricks type"))
            }
            var parts: [String] = []
            for field in fields {
                guard let name = field["name"]?.text else {
                    return .failure(Problem(location: field.location, message: "nested property needs a name"))
                }
                switch forProperty(field) {
                case .success(let type): parts.append("\(name.lowercased()):\(type)")
                case .failure(let problem): return .failure(problem)
                }
            }
            return .success("struct<\(parts.joined(separator: ","))>")
        default:
            // ODCS v3.1 has no precision option: a decimal is written as physicalType decimal(p,s).
            if let type = logicalTypes[text] { return .success(type) }
            return .failure(
                Problem(
                    location: logical.location,
                    message: "logicalType '\(text)' does not map to a Databricks type"
                        + EditDistance.hint(for: text, among: Array(logicalTypes.keys) + ["array", "object"])))
        }
    }

    /// The canonical `type_text` of a Databricks SQL type (`DECIMAL(18, 2)` → `decimal(18,2)`), or nil.
    public static func normalize(_ text: String) -> String? {
        // Types are nearly always ASCII: parse their bytes (Character properties were 9 % of a render).
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            let compact = text.utf8.compactMap { byte -> UInt8? in
                switch byte {
                case 0x09...0x0D, 0x20: nil
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 0x20
                default: byte
                }
            }
            return parse(compact)
        }
        return parse(Array(text.lowercased().filter { !$0.isWhitespace }))
    }

    private static func parse<Char: TypeCharacter>(_ chars: [Char]) -> String? {
        var parser = TypeParser(chars: chars)
        guard let type = parser.parseType(depth: 0), parser.index == parser.chars.count else { return nil }
        return type
    }

    private struct TypeParser<Char: TypeCharacter> {
        let chars: [Char]
        var index = 0

        mutating func word() -> String {
            let start = index
            while index < chars.count, chars[index].isWordCharacter { index += 1 }
            return Char.string(chars[start..<index])
        }

        mutating func expect(_ c: Unicode.Scalar) -> Bool {
            guard index < chars.count, chars[index] == Char(ascii: c) else { return false }
            index += 1
            return true
        }

        mutating func number() -> Int? {
            let start = index
            while index < chars.count, chars[index].isDigit { index += 1 }
            return Int(Char.string(chars[start..<index]))
        }

        mutating func parseType(depth: Int) -> String? {
            guard depth < 32 else { return nil }
            var name = word()
            name = DatabricksType.aliases[name] ?? name
            switch name {
            case "decimal":
                guard expect("(") else { return "decimal(10,0)" }
                guard let precision = number(), (1...38).contains(precision) else { return nil }
                var scale = 0
                if expect(",") {
                    guard let s = number(), s <= precision else { return nil }
                    scale = s
                }
                guard expect(")") else { return nil }
                return "decimal(\(precision),\(scale))"
            case "varchar", "char":
                guard expect("("), let length = number(), length > 0, expect(")") else { return nil }
                return "\(name)(\(length))"
            case "array":
                guard expect("<"), let element = parseType(depth: depth + 1), expect(">") else { return nil }
                return "array<\(element)>"
            case "map":
                guard expect("<"), let key = parseType(depth: depth + 1), expect(","),
                    let value = parseType(depth: depth + 1), expect(">")
                else { return nil }
                return "map<\(key),\(value)>"
            case "struct":
                guard expect("<") else { return nil }
                var fields: [String] = []
                repeat {
                    let field = word()
                    guard !field.isEmpty, expect(":"), let type = parseType(depth: depth + 1) else { return nil }
                    fields.append("\(field):\(type)")
                } while expect(",")
                guard expect(">") else { return nil }
                return "struct<\(fields.joined(separator: ","))>"
            default:
                return DatabricksType.primitives.contains(name) ? name : nil
            }
        }
    }
}

/// What the type parser needs of a character: ASCII bytes for the common case, `Character`s for the rest.
private protocol TypeCharacter: Equatable {
    init(ascii: Unicode.Scalar)
    var isWordCharacter: Bool { get }
    var isDigit: Bool { get }
    static func string(_ slice: ArraySlice<Self>) -> String
}

extension UInt8: TypeCharacter {
    fileprivate var isWordCharacter: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || isDigit || self == UInt8(ascii: "_")
    }
    fileprivate var isDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }
    fileprivate static func string(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }
}

extension Character: TypeCharacter {
    fileprivate init(ascii scalar: Unicode.Scalar) { self.init(scalar) }
    fileprivate var isWordCharacter: Bool { isLetter || isNumber || self == "_" }
    fileprivate var isDigit: Bool { isNumber }
    fileprivate static func string(_ slice: ArraySlice<Character>) -> String { String(slice) }
}
