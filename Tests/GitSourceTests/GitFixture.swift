import Foundation
import TestSupport

/// A scratch area with real git repositories and ssh keys, driven by the git CLI in a fixed environment
/// (no system or user config leaks in).
final class GitFixture: Sendable {
    let directory: TemporaryDirectory
    let environment: [String: String]

    struct CommandError: Error, CustomStringConvertible {
        var command: String
        var result: ProcessResult
        var description: String { "\(command) failed (\(result.status)): \(result.stderr)" }
    }

    init() throws {
        directory = try TemporaryDirectory(prefix: "lakegate-git")
        let home = directory.url.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Release Author",
            "GIT_AUTHOR_EMAIL": "author@bank.example",
            "GIT_COMMITTER_NAME": "Release Author",
            "GIT_COMMITTER_EMAIL": "author@bank.example",
            "TZ": "UTC",
            "LC_ALL": "C",
        ]
    }

    deinit { directory.remove() }

    func path(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

    /// Runs a program; throws when it exits non-zero unless `allowFailure`.
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
    func git(_ repo: String, _ arguments: String..., environment extra: [String: String] = [:]) throws -> String {
        try run("git", ["-C", repo] + arguments, environment: extra).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    /// A new repository with one commit on `main`.
    func makeRepository(_ name: String) throws -> String {
        let repo = path(name)
        try run("git", ["init", "-q", "-b", "main", repo])
        try commit(repo, message: "Initial commit", files: ["README.md": "hello\n"])
        return repo
    }

    /// Writes files and commits them; returns the commit id.
    @discardableResult
    func commit(
        _ repo: String, message: String, files: [String: String] = [:], authorEmail: String? = nil, date: String? = nil
    ) throws -> String {
        for (file, content) in files {
            let url = URL(fileURLWithPath: repo).appendingPathComponent(file)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        var extra: [String: String] = [:]
        if let authorEmail { extra["GIT_AUTHOR_EMAIL"] = authorEmail }
        if let date {
            extra["GIT_AUTHOR_DATE"] = date
            extra["GIT_COMMITTER_DATE"] = date
        }
        try run("git", ["-C", repo, "add", "-A"])
        try run("git", ["-C", repo, "commit", "-q", "--allow-empty", "-F", "-"], environment: extra, input: message)
        return try git(repo, "rev-parse", "HEAD")
    }

    /// Makes an ssh key pair; returns the private key path (public key at `.pub`).
    func makeKey(_ name: String, type: String = "ed25519") throws -> String {
        let key = path("keys/\(name)")
        try FileManager.default.createDirectory(
            atPath: (key as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var arguments = ["-q", "-N", "", "-C", name, "-f", key, "-t", type]
        if type == "ecdsa" { arguments += ["-b", "256"] }
        if type == "rsa" { arguments += ["-b", "2048"] }
        try run("ssh-keygen", arguments)
        return key
    }

    /// `type base64` of a key's public half.
    func publicKey(_ key: String) throws -> String {
        let line = try String(contentsOfFile: key + ".pub", encoding: .utf8)
        return line.split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// Writes a file under the fixture and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = path(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Creates an annotated tag (signed with `key` when given) named `name` on `target`.
    func tag(
        _ repo: String, _ name: String, target: String = "HEAD", key: String? = nil, message: String? = nil,
        date: String? = nil, tagger: (name: String, email: String)? = nil, force: Bool = false
    ) throws {
        var arguments = ["-C", repo]
        if let key { arguments += ["-c", "gpg.format=ssh", "-c", "user.signingkey=\(key)"] }
        arguments += ["tag", key == nil ? "-a" : "-s", "-m", message ?? "Release \(name)"]
        if force { arguments.append("-f") }
        arguments += [name, target]
        var extra: [String: String] = [:]
        if let date { extra["GIT_COMMITTER_DATE"] = date }
        if let tagger {
            extra["GIT_COMMITTER_NAME"] = tagger.name
            extra["GIT_COMMITTER_EMAIL"] = tagger.email
        }
        try run("git", arguments, environment: extra)
    }
}
