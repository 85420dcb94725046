import LakegateCore

/// Writes a ``JSONValue`` as block YAML with sorted keys, so equal values always give equal text.
///
/// Strings are double-quoted with JSON escapes, which YAML reads back unchanged.
public enum YAMLEmitter {
    /// The YAML text, ending with a newline.
    public static func emit(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out, inline: false)
        if !out.hasSuffix("\n") { out += "\n" }
        return out
    }

    private static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int, .double, .string: JSONValue.array([value]).canonicalJSON.dropFirst().dropLast().description
        case .array(let items) where items.isEmpty: "[]"
        case .object(let members) where members.isEmpty: "{}"
        default: nil
        }
    }

    /// Keys that YAML reads back as the same string stay unquoted (`name`, `lakegate.product`).
    private static func keyText(_ key: String) -> String {
        let plain =
            key.utf8.first.map {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) || $0 == UInt8(ascii: "_")
            }
            ?? false
            && key.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
            }
        let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"]
        return plain && !reserved.contains(key.lowercased()) ? key : scalar(.string(key))!
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String, inline: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items) where !items.isEmpty:
            for (index, item) in items.enumerated() {
                out += (inline && index == 0 ? "" : pad) + "- "
                if let text = scalar(item) {
                    out += text + "\n"
                } else {
                    write(item, indent: indent + 1, into: &out, inline: true)
                }
            }
        case .object(let members) where !members.isEmpty:
            for (index, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                out += (inline && index == 0 ? "" : pad) + keyText(key) + ":"
                let member = members[key]!
                if let text = scalar(member) {
                    out += " " + text + "\n"
                } else {
                    out += "\n"
                    write(member, indent: indent + 1, into: &out, inline: false)
                }
            }
        default:
            out += (inline ? "" : pad) + (scalar(value) ?? "null") + "\n"
        }
    }
}
