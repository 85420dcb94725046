import Foundation
import TestSupport

/// The GitSource tests' scratch area: commits by "Release Author".
typealias GitFixture = GitScratch

extension GitScratch {
    convenience init() throws {
        try self.init(prefix: "lakegate-git", authorName: "Release Author", authorEmail: "author@bank.example")
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
