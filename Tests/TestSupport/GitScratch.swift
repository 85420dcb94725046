import Foundation

/// A scratch folder for tests that drive real git repositories and ssh keys through the git CLI and
/// ssh-keygen, in a fixed environment (no user or system configuration leaks in). Test targets add their own
/// helpers in extensions.
public final class GitScratch: Sendable {
    public let directory: TemporaryDirectory
    public let environment: [String: String]

    /// A program run by ``run(_:_:in:environment:input:allowFailure:)`` exited non-zero.
    public struct CommandError: Error, CustomStringConvertible {
        public var command: String
        public var result: ProcessResult
        public var description: String { "\(command) failed (\(result.status)): \(result.stderr)" }
    }

    /// A new folder named `prefix…` with a `home/`, and git author and committer `name <email>`.
    public init(prefix: String, authorName: String, authorEmail: String) throws {
        directory = try TemporaryDirectory(prefix: prefix)
        let home = directory.url.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": authorName,
            "GIT_AUTHOR_EMAIL": authorEmail,
            "GIT_COMMITTER_NAME": authorName,
            "GIT_COMMITTER_EMAIL": authorEmail,
            "TZ": "UTC",
            "LC_ALL": "C",
        ]
    }

    deinit { directory.remove() }

    /// `name` inside the scratch folder.
    public func path(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

    /// Runs a program in the scratch environment; throws when it exits non-zero unless `allowFailure`.
    @discardableResult
    public func run(
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
}
