import ArgumentParser
import Foundation
import GitSource
import Governance
import LakegateCore
import Store

/// `lakegate git verify REF`: check a tag's or commit's signature against an allowed signers file.
struct GitVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the signature of a tag or commit. Exit 0 valid, 3 unsigned or invalid, 1 error."
    )

    @OptionGroup var options: GitRevisionOptions

    @Option(help: "allowed_signers file (ssh-keygen format).")
    var allowedSigners: String

    @Option(help: "Revoked public keys, one per line.")
    var revoked: String?

    @Option(help: "GnuPG home directory holding trusted OpenPGP keys.")
    var gpgHome: String?

    /// The state directory where first-seen times of tags are recorded.
    @OptionGroup var state: StateDirectoryOption

    func run() async throws {
        let (repo, ref, allowedPath, revokedPath, gpgHome, stateDir) =
            (options.repo, options.revision, allowedSigners, revoked, self.gpgHome, state.resolved)
        let result: RefVerification
        do {
            result = try await Blocking.run {
                let verifier = SignatureVerifier(
                    allowedSigners: try AllowedSigners(contentsOf: allowedPath),
                    revoked: try revokedPath.map { try RevocationList(contentsOf: $0) }, gpgHome: gpgHome)
                let repository = try Repository(openingAt: repo)
                let key = URL(fileURLWithPath: repo).standardizedFileURL.path
                return try RefVerification.verify(
                    ref: ref, in: repository, verifier: verifier,
                    store: StoreTagObservations(store: try StateStore(stateDirectory: stateDir)), repositoryKey: key)
            }
        } catch {
            printError("lakegate git verify: \(error)")
            throw ExitCode(1)
        }
        try options.output.print(result) {
            print(
                "\(result.verdict.valid ? "valid" : "INVALID"): \(result.type) \(result.object.prefix(12)) — "
                    + result.verdict.reason)
        }
        if !result.verdict.valid { throw ExitCode(3) }
    }
}
