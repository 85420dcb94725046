import Foundation

/// Unity Catalog naming rules: names are stored lower-case and may not contain `.`, space, `/` or control characters.
enum Names {
    static func validate(_ raw: String, kind: String) throws(APIError) -> String {
        let name = raw.lowercased()
        guard !name.isEmpty else { throw .invalid("The \(kind) name must not be empty") }
        guard name.count <= 255 else { throw .invalid("The \(kind) name '\(name)' is longer than 255 characters") }
        if let bad = name.first(where: {
            $0 == "." || $0 == " " || $0 == "/" || $0.asciiValue.map { $0 < 0x20 } == true
        }) {
            throw .invalid("Invalid \(kind) name '\(raw)': the character '\(bad)' is not allowed")
        }
        return name
    }

    /// Splits a full name into exactly `parts` lower-case parts.
    static func split(_ fullName: String, parts: Int, kind: String) throws(APIError) -> [String] {
        let pieces = fullName.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count == parts, pieces.allSatisfy({ !$0.isEmpty }) else {
            throw .invalid("Invalid \(kind) full name '\(fullName)': expected \(parts) dot-separated parts")
        }
        return pieces
    }

    static func uuid() -> String { UUID().uuidString.lowercased() }
}
