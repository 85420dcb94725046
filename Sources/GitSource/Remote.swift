import CGit2
import Foundation

/// A remote of a repository (anonymous: nothing is written to the repository's config).
/// One owned `git_remote` handle, freed in `deinit`.
public final class Remote {
    let handle: OpaquePointer
    let credentials: CredentialBox

    /// Carries credentials to the C callback through the payload pointer.
    final class CredentialBox {
        let credentials: GitCredentials
        var attempts = 0
        /// Per-reference refusals reported by the remote during a push.
        var refusals: [String] = []
        /// The host keys an ssh remote may present, and the port it is reached on; nil when not checked.
        var knownHosts: KnownHosts?
        var sshPort: Int?
        /// Why the last host key was refused.
        var hostKeyProblem: String?
        init(_ credentials: GitCredentials) { self.credentials = credentials }
    }

    /// An anonymous remote for `url` in `repository`.
    public init(repository: Repository, url: String, credentials: GitCredentials = GitCredentials()) throws {
        var pointer: OpaquePointer?
        try check("git_remote_create_anonymous", git_remote_create_anonymous(&pointer, repository.handle, url))
        guard let pointer else {
            throw GitError(function: "git_remote_create_anonymous", code: -1, message: "no handle")
        }
        self.handle = pointer
        self.credentials = CredentialBox(credentials)
    }

    /// A remote for `url` bound to no repository: it can list references but not fetch. No repository
    /// configuration (`url.*.insteadOf`) applies.
    ///
    /// Polls list with this one: libgit2 1.5 with PCRE2 (Debian 12) leaks about 90 KiB on every anonymous
    /// remote it creates, in the `insteadOf` lookup, which a controller listing every repository each poll
    /// would pile up without end.
    public init(url: String, credentials: GitCredentials = GitCredentials()) throws {
        var pointer: OpaquePointer?
        try check("git_remote_create_detached", git_remote_create_detached(&pointer, url))
        guard let pointer else {
            throw GitError(function: "git_remote_create_detached", code: -1, message: "no handle")
        }
        self.handle = pointer
        self.credentials = CredentialBox(credentials)
    }

    /// The remote named `name` (`origin`) in the repository's configuration.
    public init(repository: Repository, named name: String, credentials: GitCredentials = GitCredentials()) throws {
        var pointer: OpaquePointer?
        try check("git_remote_lookup", git_remote_lookup(&pointer, repository.handle, name))
        guard let pointer else { throw GitError(function: "git_remote_lookup", code: -1, message: "no handle") }
        self.handle = pointer
        self.credentials = CredentialBox(credentials)
    }

    deinit {
        git_remote_free(handle)
    }

    func callbacks() throws -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        try check(
            "git_remote_init_callbacks", git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)))
        callbacks.payload = Unmanaged.passUnretained(credentials).toOpaque()
        callbacks.credentials = { out, _, usernameFromURL, allowed, payload in
            guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
            let box = Unmanaged<CredentialBox>.fromOpaque(payload).takeUnretainedValue()
            box.attempts += 1
            // libgit2 asks again after a refusal; one try per kind is enough.
            if box.attempts > 2 { return GIT_EAUTH.rawValue }
            let credentials = box.credentials
            let urlUser = usernameFromURL.map { String(cString: $0) }
            if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0, let key = credentials.sshKeyPath {
                return git_credential_ssh_key_new(
                    out, urlUser ?? credentials.username ?? "git", key + ".pub", key, credentials.sshPassphrase)
            }
            if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
                if let token = credentials.token {
                    return git_credential_userpass_plaintext_new(
                        out, credentials.username ?? urlUser ?? "x-access-token", token)
                }
                if let password = credentials.password {
                    return git_credential_userpass_plaintext_new(out, credentials.username ?? urlUser ?? "", password)
                }
            }
            return GIT_PASSTHROUGH.rawValue
        }
        if let path = credentials.credentials.knownHostsPath {
            credentials.knownHosts = try KnownHosts(contentsOf: path)
            credentials.sshPort =
                git_remote_url(handle).flatMap { KnownHosts.endpoint(ofSSHURL: String(cString: $0)) }?
                .port
            callbacks.certificate_check = { cert, _, host, payload in
                guard let cert, let payload else { return GIT_ECERTIFICATE.rawValue }
                // TLS certificates keep libgit2's own validation.
                guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else { return GIT_PASSTHROUGH.rawValue }
                let box = Unmanaged<CredentialBox>.fromOpaque(payload).takeUnretainedValue()
                guard let knownHosts = box.knownHosts else { return GIT_PASSTHROUGH.rawValue }
                let hostName = host.map { String(cString: $0) } ?? ""
                let hostKey = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
                guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey else {
                    box.hostKeyProblem = "\(hostName) sent no raw host key to check against \(knownHosts.path)"
                    return GIT_ECERTIFICATE.rawValue
                }
                let blob = Data(bytes: raw, count: hostKey.hostkey_len)
                switch knownHosts.verdict(host: hostName, port: box.sshPort, keyBlob: blob) {
                case .trusted: return 0
                case .mismatch:
                    box.hostKeyProblem =
                        "the host key of \(hostName) does not match \(knownHosts.path): refusing to connect"
                case .unknownHost: box.hostKeyProblem = "\(hostName) is not in \(knownHosts.path): refusing to connect"
                case .revoked: box.hostKeyProblem = "the host key of \(hostName) is revoked in \(knownHosts.path)"
                }
                return GIT_ECERTIFICATE.rawValue
            }
        }
        return callbacks
    }

    /// Connects, lists the remote's refs (peeled `^{}` entries and symbolic `HEAD` left out) and disconnects.
    public func listReferences() throws -> [String: ObjectID] {
        var callbacks = try callbacks()
        credentials.attempts = 0
        credentials.hostKeyProblem = nil
        try checkTransport("git_remote_connect", git_remote_connect(handle, GIT_DIRECTION_FETCH, &callbacks, nil, nil))
        defer { git_remote_disconnect(handle) }
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try check("git_remote_ls", git_remote_ls(&heads, &count, handle))
        var result: [String: ObjectID] = [:]
        for index in 0..<count {
            guard let head = heads?[index]?.pointee else { continue }
            let name = String(cString: head.name)
            if name.hasSuffix("^{}") || !name.hasPrefix("refs/") { continue }
            result[name] = ObjectID(head.oid)
        }
        return result
    }

    /// Fetches with `refspecs`, removing local refs the remote no longer has when `prune` is set.
    public func fetch(refspecs: [String], prune: Bool) throws {
        var options = git_fetch_options()
        try check("git_fetch_options_init", git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)))
        options.callbacks = try callbacks()
        options.prune = prune ? GIT_FETCH_PRUNE : GIT_FETCH_NO_PRUNE
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.update_fetchhead = 0
        credentials.attempts = 0
        var cStrings = refspecs.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        try cStrings.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            try checkTransport("git_remote_fetch", git_remote_fetch(handle, &array, &options, "lakegate fetch"))
        }
    }

    /// `check`, with a refused host key named instead of libgit2's generic certificate error.
    private func checkTransport(_ function: String, _ code: Int32) throws {
        if code < 0, let problem = credentials.hostKeyProblem {
            throw GitError(function: function, code: code, message: problem)
        }
        try check(function, code)
    }
}
