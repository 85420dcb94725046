import Foundation
import Synchronization

/// Reads a ``SecretSource`` at each use and says when the value changed since the last read, so token caches
/// built on the old value can be dropped.
///
/// Files are read whole each time rather than trusting modification times: Kubernetes swaps a mounted
/// Secret by replacing a symbolic link, and a rewrite within the same second keeps the mtime.
final class SecretReader: Sendable {
    let source: SecretSource
    /// What the secret is, for messages: `token file`, `OIDC token file`.
    let label: String
    private let last = Mutex<String?>(nil)

    init(_ source: SecretSource, label: String) {
        self.source = source
        self.label = label
    }

    /// The current value, and whether it differs from the previous read (true on the first read).
    func read() throws(DatabricksConfigError) -> (value: String, changed: Bool) {
        let value: String
        switch source {
        case .value(let text): value = text
        case .file(let path): value = try Self.readFile(path, label: label)
        }
        let changed = last.withLock { previous in
            defer { previous = value }
            return previous != value
        }
        return (value, changed)
    }

    /// The trimmed contents of `path`; an error (in the SDK's words) when it is missing, unreadable or empty.
    static func readFile(_ path: String, label: String) throws(DatabricksConfigError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatabricksConfigError("\(label) '\(path)' does not exist")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw DatabricksConfigError("\(label) '\(path)' cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw DatabricksConfigError("\(label) '\(path)' is empty") }
        return text
    }
}
