import Foundation
import LakegateCore

/// Blueprint placeholders: `{{ name }}` is replaced by the value of parameter `name`, `{{ name | filter }}` by the
/// value passed through a filter, and `\{{` writes a literal `{{`. Everything else, `${var.x}` included, is kept.
///
/// Filters: `snake` (lower case, `-`, `.` and spaces → `_`), `kebab` (lower case, `_`, `.` and spaces → `-`),
/// `lower`, `upper`, and `quote`: a double-quoted, escaped string that is valid in YAML and JSON — use it for free
/// text such as descriptions, which may hold `: ` or `#`.
public enum Template {
    /// The filters a placeholder may name.
    public static let filters: [String: @Sendable (String) -> String] = [
        "snake": { separated($0, by: "_") },
        "kebab": { separated($0, by: "-") },
        "lower": { $0.lowercased() },
        "upper": { $0.uppercased() },
        "quote": quoted,
    ]

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case let c where c.value < 0x20: result += String(format: "\\u%04x", c.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func separated(_ text: String, by separator: Character) -> String {
        String(text.lowercased().map { "-_. ".contains($0) ? separator : $0 })
    }

    /// Substitutes every placeholder of `text`; an unknown name or filter or an unclosed `{{` is reported at its
    /// `path:line:column`, all of them together.
    public static func render(_ text: String, values: [String: String], path: String) throws(DiagnosticList) -> String {
        var output = ""
        var problems: [Diagnostic] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            let before = rest[..<open.lowerBound]
            if before.hasSuffix("\\") {
                output += before.dropLast() + "{{"
                rest = rest[open.upperBound...]
                continue
            }
            output += before
            let location = Self.location(of: open.lowerBound, in: text, path: path)
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                problems.append(Diagnostic(location, "'{{' is not closed by '}}'"))
                rest = rest[rest.endIndex...]
                break
            }
            let expression = rest[open.upperBound..<close.lowerBound]
            rest = rest[close.upperBound...]
            let parts = expression.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let value = values[parts[0]] else {
                let known = values.keys.sorted().joined(separator: ", ")
                problems.append(Diagnostic(location, "unknown parameter '\(parts[0])' (parameters: \(known))"))
                continue
            }
            var result = value
            for name in parts.dropFirst() {
                guard let filter = filters[name] else {
                    let known = filters.keys.sorted().joined(separator: ", ")
                    problems.append(Diagnostic(location, "unknown filter '\(name)' (filters: \(known))"))
                    continue
                }
                result = filter(result)
            }
            output += result
        }
        output += rest
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return output
    }

    private static func location(of index: String.Index, in text: String, path: String) -> SourceLocation {
        var line = 1
        var column = 1
        for character in text[..<index] {
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(path: path, line: line, column: column)
    }
}
