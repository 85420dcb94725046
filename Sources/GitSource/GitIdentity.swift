import Foundation

/// A name and e-mail for a commit's author or committer, or a tag's tagger.
public struct GitIdentity: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// Whom git records: `GIT_<ROLE>_NAME` / `GIT_<ROLE>_EMAIL`, else `user.name` / `user.email` of the
    /// repository's configuration (local, global, system), as `git commit` and `git tag` do.
    ///
    /// - Parameter role: `AUTHOR` or `COMMITTER` (a tagger is the committer identity).
    /// - Throws: ``GitError`` naming what to configure when neither is set.
    public static func resolve(
        role: String, repository: Repository,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> GitIdentity {
        let configName = try repository.configString("user.name").flatMap(nonEmpty)
        let configEmail = try repository.configString("user.email").flatMap(nonEmpty)
        let name = environment["GIT_\(role)_NAME"].flatMap(nonEmpty) ?? configName
        let email =
            environment["GIT_\(role)_EMAIL"].flatMap(nonEmpty) ?? environment["EMAIL"].flatMap(nonEmpty) ?? configEmail
        guard let name, let email else {
            throw GitError(
                function: "identity", code: -1,
                message: "no git identity: set user.name and user.email (git config --global user.email "
                    + "you@example.com) or GIT_\(role)_NAME and GIT_\(role)_EMAIL")
        }
        return GitIdentity(name: name, email: email)
    }

    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    /// `Name <email>`.
    public var description: String { "\(name) <\(email)>" }
}
