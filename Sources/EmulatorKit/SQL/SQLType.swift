import Foundation

/// A column type as written in SQL, with the names the tables API reports for it.
public struct SQLType: Codable, Sendable, Equatable {
    /// The lower-case type text, such as `bigint`, `decimal(10,2)` or `array<string>`.
    public var text: String

    public init(text: String) { self.text = text.lowercased() }

    /// The base name before any `(` or `<`.
    var base: String {
        String(text.prefix { $0 != "(" && $0 != "<" }).trimmingCharacters(in: .whitespaces)
    }

    /// Known base names and their `type_name` (`ColumnTypeName`) and Spark JSON type.
    static let known: [String: (typeName: String, json: String)] = [
        "string": ("STRING", "string"), "varchar": ("STRING", "string"), "char": ("CHAR", "string"),
        "bigint": ("LONG", "long"), "long": ("LONG", "long"), "int": ("INT", "integer"),
        "integer": ("INT", "integer"), "smallint": ("SHORT", "short"), "short": ("SHORT", "short"),
        "tinyint": ("BYTE", "byte"), "byte": ("BYTE", "byte"), "double": ("DOUBLE", "double"),
        "float": ("FLOAT", "float"), "real": ("FLOAT", "float"), "boolean": ("BOOLEAN", "boolean"),
        "date": ("DATE", "date"), "timestamp": ("TIMESTAMP", "timestamp"),
        "timestamp_ntz": ("TIMESTAMP_NTZ", "timestamp_ntz"), "decimal": ("DECIMAL", "decimal"),
        "dec": ("DECIMAL", "decimal"), "numeric": ("DECIMAL", "decimal"), "binary": ("BINARY", "binary"),
        "array": ("ARRAY", "array"), "map": ("MAP", "map"), "struct": ("STRUCT", "struct"),
        "variant": ("VARIANT", "variant"), "interval": ("INTERVAL", "interval"),
    ]

    static func isKnown(_ base: String) -> Bool { known[base.lowercased()] != nil }

    /// The `type_name` the tables API reports, such as `LONG` for `bigint`.
    var typeName: String { Self.known[base]?.typeName ?? "USER_DEFINED_TYPE" }

    /// The type in Spark's JSON schema form: `decimal(10,2)` keeps its arguments.
    var jsonType: String {
        guard let json = Self.known[base]?.json else { return text }
        return json == "decimal" ? text.replacingOccurrences(of: "numeric", with: "decimal") : json
    }
}
