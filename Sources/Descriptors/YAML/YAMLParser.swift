import Foundation
import LakegateCore
import Yams

/// Parses YAML files into located ``YAMLNode`` trees, reporting problems as `path:line:column` diagnostics.
public enum YAMLParser {
    /// The largest number of nodes a document may expand to (aliases included), against alias bombs.
    public static let maxNodes = 2_000_000

    /// Parses the first YAML document in `data`.
    ///
    /// Binary files, invalid UTF-8 and control characters (at their line and column), empty documents, syntax
    /// errors and duplicate keys are reported as diagnostics at `path`.
    public static func parse(_ data: Data, path: String) throws(DiagnosticList) -> YAMLNode {
        // Checked first, so that no parser reports a stray control character at 0:0 or takes it as text.
        if let problem = data.withUnsafeBytes({ YAMLTextCheck.problem(in: $0.bindMemory(to: UInt8.self), path: path) })
        {
            throw DiagnosticList([problem])
        }
        let plain = data.withUnsafeBytes { PlainYAMLParser.parse($0.bindMemory(to: UInt8.self), path: path) }
        if let plain { return plain }
        return try parseWithYams(data, path: path)
    }

    /// ``parse(_:path:)`` through Yams only (the reference the plain-subset reader is tested against).
    static func parseWithYams(_ data: Data, path: String) throws(DiagnosticList) -> YAMLNode {
        let whole = SourceLocation(path: path)
        // Byte-wise over the contiguous buffer: `Data`'s iterator and Foundation's decoding were 6 % of a render.
        let decoded: String?? = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            if bytes.contains(0) { return nil }
            // Foundation drops a leading byte order mark; keep its behaviour for those files.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .some(String(data: data, encoding: .utf8)) }
            return .some(String(validating: bytes, as: UTF8.self))
        }
        guard let decoded else {
            throw DiagnosticList([Diagnostic(whole, "binary file: expected YAML text")])
        }
        guard let text = decoded else {
            throw DiagnosticList([Diagnostic(whole, "file is not valid UTF-8 text")])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw DiagnosticList([diagnostic(for: error, path: path, text: text)])
        } catch {
            throw DiagnosticList([Diagnostic(whole, "cannot parse YAML: \(error)")])
        }
        guard let root else {
            throw DiagnosticList([Diagnostic(whole, "file is empty")])
        }
        var budget = maxNodes
        guard let node = convert(root, path: path, budget: &budget) else {
            throw DiagnosticList([
                Diagnostic(whole, "document expands to more than \(maxNodes) nodes (too many aliases)")
            ])
        }
        if case .scalar(let s) = node.content, s.isNull {
            throw DiagnosticList([Diagnostic(whole, "file is empty")])
        }
        return node
    }

    private static func location(_ mark: Mark?, _ path: String) -> SourceLocation {
        SourceLocation(path: path, line: mark?.line ?? 0, column: mark?.column ?? 0)
    }

    private static func convert(_ node: Node, path: String, budget: inout Int) -> YAMLNode? {
        budget -= 1
        guard budget >= 0 else { return nil }
        switch node {
        case .scalar(let s):
            let tagName = s.tag.description
            let tag = (tagName == "tag:yaml.org,2002:str" || tagName.isEmpty || tagName == "!") ? nil : tagName
            let style: YAMLScalar.Style =
                switch s.style {
                case .singleQuoted: .singleQuoted
                case .doubleQuoted: .doubleQuoted
                case .literal: .literal
                case .folded: .folded
                default: .plain
                }
            return YAMLNode(
                .scalar(YAMLScalar(text: s.string, tag: tag, style: style)), location: location(s.mark, path))
        case .sequence(let seq):
            var items: [YAMLNode] = []
            items.reserveCapacity(seq.count)
            for item in seq {
                guard let converted = convert(item, path: path, budget: &budget) else { return nil }
                items.append(converted)
            }
            return YAMLNode(.sequence(items), location: location(seq.mark, path))
        case .mapping(let map):
            var pairs: [YAMLPair] = []
            pairs.reserveCapacity(map.count)
            for (key, value) in map {
                guard let converted = convert(value, path: path, budget: &budget) else { return nil }
                let keyText: String
                switch key {
                case .scalar(let s): keyText = s.string
                default: keyText = "<complex key>"
                }
                pairs.append(YAMLPair(key: keyText, keyLocation: location(key.mark, path), value: converted))
            }
            return YAMLNode(.mapping(pairs), location: location(map.mark, path))
        case .alias:
            return YAMLNode(.scalar(YAMLScalar(text: "")), location: location(node.mark, path))
        }
    }

    static func diagnostic(for error: YamlError, path: String, text: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return Diagnostic(location(mark, path), message)
        case .reader(let problem, _, _, _):
            return Diagnostic(SourceLocation(path: path), "cannot read YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark
            let second = findDuplicate(key: key, after: first, in: text)
            let message = "duplicate key '\(key)' (first defined at line \(first.line))"
            if let second { return Diagnostic(SourceLocation(path: path, line: second.0, column: second.1), message) }
            return Diagnostic(location(first, path), "duplicate key '\(key)'")
        default:
            return Diagnostic(SourceLocation(path: path), "cannot parse YAML: \(error)")
        }
    }

    /// Finds the second occurrence of a block-mapping key at the same column as the first one.
    private static func findDuplicate(key: String, after first: Mark, in text: String) -> (Int, Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let column = first.column
        let candidates = [key + ":", "\"" + key + "\":", "'" + key + "':"]
        for index in first.line..<lines.count {
            let line = Array(lines[index].unicodeScalars)
            let indent = line.prefix { $0 == " " }.count
            let rest = String(String.UnicodeScalarView(line.dropFirst(indent)))
            if rest.isEmpty || rest.hasPrefix("#") { continue }
            var keyStart = indent
            var afterDash = rest
            // Keys of a mapping inside a sequence item start after "- ".
            while afterDash.hasPrefix("- ") {
                afterDash.removeFirst(2)
                let more = afterDash.prefix { $0 == " " }.count
                afterDash.removeFirst(more)
                keyStart += 2 + more
            }
            if keyStart + 1 < column && indent + 1 < column && !rest.hasPrefix("- ") { return nil }
            if keyStart + 1 == column, candidates.contains(where: { afterDash.hasPrefix($0) }) {
                return (index + 1, column)
            }
        }
        return nil
    }
}
