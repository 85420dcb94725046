import Foundation
import TestSupport

/// A scratch area for lifecycle tests: real git repositories driven by the git CLI in a fixed environment (no user
/// or system configuration), and real ssh-keygen keys.
final class LifecycleFixture: Sendable {
    let directory: TemporaryDirectory
    let environment: [String: String]

    struct CommandError: Error, CustomStringConvertible {
        var command: String
        var result: ProcessResult
        var description: String { "\(command) failed (\(result.status)): \(result.stderr)" }
    }

    init(author: String = "team@bank.example") throws {
        directory = try TemporaryDirectory(prefix: "lakegate-lifecycle")
        let home = directory.url.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Data Team",
            "GIT_AUTHOR_EMAIL": author,
            "GIT_COMMITTER_NAME": "Data Team",
            "GIT_COMMITTER_EMAIL": author,
            "TZ": "UTC",
            "LC_ALL": "C",
        ]
    }

    deinit { directory.remove() }

    func path(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

    /// Runs a program in the fixture's environment; throws when it exits non-zero unless `allowFailure`.
    @discardableResult
    func run(
        _ program: String, _ arguments: [String], in cwd: String? = nil, environment extra: [String: String] = [:],
        input: String? = nil, allowFailure: Bool = false
    ) throws -> ProcessResult {
        let result = try ProcessRunner.run(
            program, arguments, cwd: cwd.map { URL(fileURLWithPath: $0) },
            environment: environment.merging(extra) { $1 }, input: input)
        if result.status != 0 && !allowFailure {
            throw CommandError(command: ([program] + arguments).joined(separator: " "), result: result)
        }
        return result
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
