/// A CEL type value, such as the result of `type(1)` or the identifier `int`.
public struct CELType: Sendable, Hashable, CustomStringConvertible {
    /// The runtime type name: `int`, `list`, `google.protobuf.Timestamp`…
    public let name: String

    /// A type with the given runtime name.
    public init(name: String) { self.name = name }

    public var description: String { name }

    public static let null = CELType(name: "null_type")
    public static let bool = CELType(name: "bool")
    public static let int = CELType(name: "int")
    public static let uint = CELType(name: "uint")
    public static let double = CELType(name: "double")
    public static let string = CELType(name: "string")
    public static let bytes = CELType(name: "bytes")
    public static let list = CELType(name: "list")
    public static let map = CELType(name: "map")
    public static let timestamp = CELType(name: "google.protobuf.Timestamp")
    public static let duration = CELType(name: "google.protobuf.Duration")
    public static let type = CELType(name: "type")

    /// The type identifiers that evaluate to type values.
    static let byIdentifier: [String: CELType] = [
        "null_type": .null, "bool": .bool, "int": .int, "uint": .uint, "double": .double, "string": .string,
        "bytes": .bytes, "list": .list, "map": .map, "type": .type, "google.protobuf.Timestamp": .timestamp,
        "google.protobuf.Duration": .duration,
    ]
}
