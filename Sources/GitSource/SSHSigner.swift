import Foundation

/// Signs git objects with an SSH key the way `git tag -s` does with `gpg.format=ssh`: `ssh-keygen -Y sign -n git`.
///
/// libgit2 cannot sign, and ssh-keygen is what git itself runs: it reads passphrase-protected keys, keys held
/// by ssh-agent (a public key file, or `key::<type> <base64>`) and hardware keys, none of which Lakegate should
/// re-implement.
public struct SSHSigner: Sendable {
    /// `user.signingkey` as git accepts it: a private or public key file (`~` expanded) or `key::<public key>`.
    public var key: String
    /// The `ssh-keygen` program.
    public var program: String

    public init(key: String, program: String = "ssh-keygen") {
        self.key = key
        self.program = program
    }

    /// The signing key from git's configuration: `user.signingkey`, which needs `gpg.format=ssh`.
    public static func fromConfig(of repository: Repository) throws -> SSHSigner {
        let format = try repository.configString("gpg.format")
        guard format?.lowercased() == "ssh" else {
            throw GitError(
                function: "sign", code: -1,
                message: "gpg.format is \(format.map { "'\($0)'" } ?? "not set"); Lakegate signs with SSH keys only: "
                    + "git config gpg.format ssh")
        }
        guard let key = try repository.configString("user.signingkey"), !key.isEmpty else {
            throw GitError(
                function: "sign", code: -1,
                message: "user.signingkey is not set: git config user.signingkey ~/.ssh/id_ed25519.pub, or pass --key")
        }
        return SSHSigner(key: key)
    }

    /// `key` when given (a `--key FILE` option), else the signing key of git's configuration.
    public static func resolve(key: String?, repository: Repository) throws -> SSHSigner {
        try key.map { SSHSigner(key: $0) } ?? fromConfig(of: repository)
    }

    /// The public key (`type base64`) of the signing key, read from the key file or the literal.
    public func publicKey() throws -> String {
        if key.hasPrefix("key::") { return Self.firstTwoFields(String(key.dropFirst(5))) }
        let path = expandedPath
        let publicPath = path.hasSuffix(".pub") ? path : path + ".pub"
        if let data = FileManager.default.contents(atPath: publicPath) {
            return Self.firstTwoFields(String(decoding: data, as: UTF8.self))
        }
        let result = try run(["-y", "-f", path], input: nil)
        guard result.status == 0 else {
            throw GitError(
                function: "ssh-keygen -y", code: result.status,
                message: "cannot read the public key of \(path): \(result.error)")
        }
        return Self.firstTwoFields(String(decoding: result.output, as: UTF8.self))
    }

    /// An armoured `SSH SIGNATURE` block over `payload` in `namespace` (`git` for tags and commits).
    public func sign(_ payload: Data, namespace: String = "git") throws -> Data {
        var arguments = ["-Y", "sign", "-n", namespace]
        var literalFile: URL?
        defer { literalFile.map { try? FileManager.default.removeItem(at: $0) } }
        if key.hasPrefix("key::") {
            // A literal key names a key held by ssh-agent; ssh-keygen wants it in a file.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "lakegate-key-\(UUID().uuidString).pub")
            try Data((String(key.dropFirst(5)) + "\n").utf8).write(to: file)
            literalFile = file
            arguments += ["-U", "-f", file.path]
        } else {
            guard FileManager.default.fileExists(atPath: expandedPath) else {
                throw GitError(function: "sign", code: -1, message: "signing key \(expandedPath) does not exist")
            }
            arguments += ["-f", expandedPath]
        }
        let result = try run(arguments, input: payload)
        guard result.status == 0, result.output.starts(with: Data("-----BEGIN SSH SIGNATURE-----".utf8)) else {
            throw GitError(
                function: "ssh-keygen -Y sign", code: result.status,
                message: "signing with \(key) failed: \(result.error.isEmpty ? "no signature produced" : result.error)")
        }
        return result.output
    }

    private var expandedPath: String { (key as NSString).expandingTildeInPath }

    private static func firstTwoFields(_ line: String) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).prefix(2).joined(separator: " ")
    }

    private func run(_ arguments: [String], input: Data?) throws -> (status: Int32, output: Data, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw GitError(function: program, code: -1, message: "cannot run \(program): \(error)")
        }
        // Payloads are small (a tag object); write, close, then drain both pipes.
        if let input { stdin.fileHandleForWriting.write(input) }
        try? stdin.fileHandleForWriting.close()
        let errorData = ErrorBuffer()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.data = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let message = String(decoding: errorData.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (process.terminationStatus, output, message)
    }

    /// Holds stderr read on another thread; the group's wait orders the accesses.
    private final class ErrorBuffer: @unchecked Sendable {
        var data = Data()
    }
}
