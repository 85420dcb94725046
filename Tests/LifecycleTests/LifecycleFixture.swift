import Foundation
import TestSupport

/// The lifecycle tests' scratch area: commits by "Data Team".
typealias LifecycleFixture = GitScratch

extension GitScratch {
    convenience init(author: String = "team@bank.example") throws {
        try self.init(prefix: "lakegate-lifecycle", authorName: "Data Team", authorEmail: author)
    }

    @discardableResult
    func git(_ repo: String, _ arguments: String..., allowFailure: Bool = false) throws -> String {
        try run("git", ["-C", repo] + arguments, allowFailure: allowFailure).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    /// An ssh key pair with comment `name`; returns the private key path.
    func makeKey(_ name: String) throws -> String {
        let key = path("keys/\(name)")
        try FileManager.default.createDirectory(
            atPath: (key as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key])
        return key
    }

    /// An allowed_signers file with one line per (principal, key).
    func allowedSigners(_ entries: [(principal: String, key: String)]) throws -> String {
        var text = ""
        for (principal, key) in entries {
            let line = try String(contentsOfFile: key + ".pub", encoding: .utf8)
            text += "\(principal) namespaces=\"git\" \(line.split(separator: " ").prefix(2).joined(separator: " "))\n"
        }
        let file = path("keys/allowed_signers")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Replaces `old` by `new` in a file below `directory`.
    func edit(_ directory: String, _ file: String, replacing old: String, with new: String) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        precondition(text.contains(old), "\(file) does not contain \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }
}
