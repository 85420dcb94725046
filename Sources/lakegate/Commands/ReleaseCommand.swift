import ArgumentParser
import Foundation
import GitSource
import Governance
import LakegateCore
import Lifecycle

/// `lakegate release VERSION [--sign] [--message M]`: freeze the committed product as a release tag.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Freeze a release: validate, dry-run the qa and prod policies, create the annotated release tag.",
        discussion: """
            Refuses a dirty work tree, an invalid product, an existing tag, and a blocking policy result (exit 3). \
            The tag message records the digests of the rendered states and of the policy report as trailers. \
            See docs/lifecycle.md.
            """
    )

    @Argument(help: "The release: v1.2.0, 1.2.0 (tagged v1.2.0) or a prefixed name such as dp/orders/v1.2.0.")
    var version: String

    @Argument(help: "The product directory inside the repository.")
    var path: String = "."

    @Flag(help: "Sign the tag with SSH (git config gpg.format ssh and user.signingkey).")
    var sign = false

    @Option(help: "Sign with this SSH key file instead of user.signingkey (implies --sign).")
    var key: String?

    @Option(help: "A message for the tag, above the recorded digests.")
    var message: String?

    @Option(help: "The policy directory (default: $LAKEGATE_POLICIES, else <PATH>/policies).")
    var policies: String?

    @Option(name: .customLong("target"), help: "A target whose policy set must pass (repeatable; default qa and prod).")
    var targets: [String] = []

    @Flag(help: "Push the tag to origin.")
    var push = false

    func run() async throws {
        let policyDirectory = PolicyDirectory.resolve(explicit: policies, productPath: path)
        guard policyDirectory.exists else {
            printError(
                "lakegate release: no policy directory at \(policyDirectory.path): pass --policies DIR or set "
                    + "LAKEGATE_POLICIES")
            throw ExitCode(1)
        }
        let releaser = Releaser(
            productPath: path, version: version, policies: policyDirectory.path, key: key, sign: sign,
            message: message, targets: targets.isEmpty ? Releaser.defaultTargets : targets)
        let push = self.push
        let result: Releaser.Result
        do {
            result = try await Blocking.run {
                let result = try releaser.run()
                if push, result.tagObject != nil {
                    try TagPusher.push(
                        tags: [result.tag],
                        repositoryPath: try ProductLocation(productPath: releaser.productPath).workTree)
                }
                return result
            }
        } catch {
            printError("lakegate release: \(error)")
            throw ExitCode(1)
        }
        print(result.evaluation.report.text)
        guard let tagObject = result.tagObject else {
            printError("lakegate release: refused: a policy blocks \(result.tag) (see above); nothing was tagged")
            throw ExitCode(3)
        }
        print(
            "released \(result.tag): \(result.signed ? "signed" : "unsigned") tag \(tagObject.short) on commit "
                + "\(result.commit.short)")
        for line in result.evaluation.record.trailerLines { print("  \(line)") }
        print(push ? "pushed \(result.tag) to origin" : "next: git push origin \(result.tag)")
    }
}
