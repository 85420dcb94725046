import Foundation

/// How to authenticate to a remote. Read from the environment; never logged or printed.
public struct GitCredentials: Sendable, CustomStringConvertible {
    /// An https token (sent as the password; the user name is `x-access-token` unless one is given).
    public var token: String?
    public var username: String?
    public var password: String?
    /// A private key file for ssh remotes, and its public half (defaults to `<key>.pub`).
    public var sshKeyPath: String?
    public var sshPassphrase: String?
    /// An OpenSSH `known_hosts` file: when set, an ssh remote's host key must be listed there.
    public var knownHostsPath: String?

    public init(
        token: String? = nil, username: String? = nil, password: String? = nil, sshKeyPath: String? = nil,
        sshPassphrase: String? = nil, knownHostsPath: String? = nil
    ) {
        self.knownHostsPath = knownHostsPath
        self.token = token
        self.username = username
        self.password = password
        self.sshKeyPath = sshKeyPath
        self.sshPassphrase = sshPassphrase
    }

    /// `LAKEGATE_GIT_TOKEN`, `LAKEGATE_GIT_USERNAME`, `LAKEGATE_GIT_PASSWORD`, `LAKEGATE_GIT_SSH_KEY`,
    /// `LAKEGATE_GIT_SSH_PASSPHRASE`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> GitCredentials
    {
        GitCredentials(
            token: environment["LAKEGATE_GIT_TOKEN"], username: environment["LAKEGATE_GIT_USERNAME"],
            password: environment["LAKEGATE_GIT_PASSWORD"], sshKeyPath: environment["LAKEGATE_GIT_SSH_KEY"],
            sshPassphrase: environment["LAKEGATE_GIT_SSH_PASSPHRASE"])
    }

    /// Names which kinds are set, never their values.
    public var description: String {
        var kinds: [String] = []
        if token != nil { kinds.append("token") }
        if password != nil { kinds.append("basic") }
        if sshKeyPath != nil { kinds.append("ssh-key") }
        return "GitCredentials(\(kinds.isEmpty ? "none" : kinds.joined(separator: ", ")))"
    }
}
