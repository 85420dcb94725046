import Foundation
import GitSource

/// How `lakegate release` and `lakegate approve` write their annotated tags: the operator's message between the
/// title and the recorded trailers, the tagger from git's committer identity, signed with SSH.
public struct TagAuthoring: Sendable {
    /// The signing key (a `user.signingkey` value); nil uses git's `user.signingkey` (with `gpg.format=ssh`).
    public var key: String?
    /// The operator's message, written between the title and the trailers.
    public var message: String?
    /// The environment git's committer identity is resolved from.
    public var environment: [String: String]

    public init(key: String?, message: String?, environment: [String: String]) {
        self.key = key
        self.message = message
        self.environment = environment
    }

    /// The tag message: `title`, the operator's message when there is one, then `trailers`.
    func text(title: String, trailers: String) -> String {
        var text = title + "\n\n"
        if let message, !message.isEmpty { text += message.trimmingCharacters(in: .whitespacesAndNewlines) + "\n\n" }
        return text + trailers
    }

    /// The SSH signer of ``key`` (or of git's `user.signingkey`). Blocking.
    func signer(in repository: Repository) throws -> SSHSigner {
        try SSHSigner.resolve(key: key, repository: repository)
    }

    /// Who the tag is by when no allowed signers file names the key: git's committer identity. Blocking.
    func committer(in repository: Repository) throws -> GitIdentity {
        try GitIdentity.resolve(role: "COMMITTER", repository: repository, environment: environment)
    }

    /// Creates the annotated tag `name` on `target` with `text`, signed by `signer` when given. Blocking.
    func createTag(
        _ name: String, target: ObjectID, text: String, signer: SSHSigner?, in repository: Repository, now: Date
    ) throws -> ObjectID {
        try repository.createAnnotatedTag(
            name: name, target: target, message: text, tagger: try committer(in: repository), date: now,
            sign: signer.map { signer in { try signer.sign($0) } })
    }
}
