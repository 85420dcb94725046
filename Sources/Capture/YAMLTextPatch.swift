import Descriptors
import Foundation
import LakegateCore

/// Rewrites YAML text so that it reads as a new JSON value while keeping every part that did not change as it was
/// written: key order, comments, quoting, flow lists and blank lines. Only the mappings entries and sequence items
/// whose values differ are written anew (see ``YAMLFragment``).
///
/// What is lost: comments inside a value that is rewritten, and the style of a rewritten value.
public enum YAMLTextPatch {
    /// The text of `text` (the file at `path`) edited to read as `new`.
    ///
    /// - Throws: `DiagnosticList` when `text` is not valid YAML; ``CaptureError`` when the result would not read
    ///   back as `new`.
    public static func apply(text: String, path: String, to new: JSONValue) throws -> String {
        let root = try YAMLParser.parse(Data(text.utf8), path: path)
        if root.jsonValue == new { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let endsWithNewline = lines.last == ""
        if endsWithNewline { lines.removeLast() }
        let patcher = YAMLLinePatcher(lines: lines)
        var output: [String]
        if let patched = patcher.patch(root, span: 0..<lines.count, to: new) {
            output = patched
        } else {
            output = YAMLFragment.body(new, indent: 0)
        }
        let result = output.joined(separator: "\n") + "\n"
        let check = try? YAMLParser.parse(Data(result.utf8), path: path)
        guard check?.jsonValue == new else {
            // Fall back to writing the whole document anew rather than writing something that reads differently.
            let fresh = YAMLFragment.body(new, indent: 0).joined(separator: "\n") + "\n"
            guard (try? YAMLParser.parse(Data(fresh.utf8), path: path))?.jsonValue == new else {
                throw CaptureError("\(path): the edited YAML would not read back as the captured values")
            }
            return fresh
        }
        return result
    }
}
