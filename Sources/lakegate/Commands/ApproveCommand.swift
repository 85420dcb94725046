import ArgumentParser
import Foundation
import GitSource
import LakegateCore
import Lifecycle

/// `lakegate approve RELEASE --target T [--key FILE] [--push]`: the signed approval tag of a release.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a release for a target: show what is approved, then create the signed approval tag.",
        discussion: """
            The tag is approval/<target>/<release>/<principal> on the release tag object, signed with SSH. The \
            principal is the key's identity in --allowed-signers, else git's user.email. A re-approval by the \
            same principal (a rollback) gets a -2, -3, … suffix. See docs/lifecycle.md.
            """
    )

    @Argument(help: "The release tag, e.g. v1.2.0.")
    var release: String

    @Argument(help: "The product directory inside the repository.")
    var path: String = "."

    @Option(help: "The target environment, e.g. prod.")
    var target: String

    @Option(help: "Sign with this SSH key file (default: git's user.signingkey, with gpg.format=ssh).")
    var key: String?

    @Option(help: "allowed_signers file: names you, and checks the release signature.")
    var allowedSigners: String?

    @Option(help: "The policy directory (default: $LAKEGATE_POLICIES, else <PATH>/policies).")
    var policies: String?

    @Option(help: "A message for the approval tag.")
    var message: String?

    /// The workspace of the plan summary.
    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "Directory holding the inventory of owned objects, for the plan summary.")
    var stateDir: String = ".lakegate"

    @Flag(help: "Do not ask for confirmation on a terminal.")
    var yes = false

    @Flag(help: "Push the approval tag to origin.")
    var push = false

    func run() async throws {
        let approver = Approver(
            productPath: path, release: release, target: target, key: key,
            policies: PolicyDirectory.resolve(explicit: policies, productPath: path).path,
            allowedSigners: allowedSigners, message: message)
        let summary: Approver.Summary
        do {
            summary = try await Blocking.run { try approver.summarize() }
        } catch {
            printError("lakegate approve: \(error)")
            throw ExitCode(1)
        }
        let plan = await ApprovalPlan.summary(
            location: summary.location, commit: summary.commit, target: target,
            stateDirectory: URL(fileURLWithPath: stateDir), explicit: workspace.explicit)
        print(ApprovalReport.text(summary, plan: plan))
        if isatty(STDIN_FILENO) == 1 && !yes {
            FileHandle.standardError.write(Data("Approve \(summary.release) for \(target)? [y/N] ".utf8))
            guard let answer = readLine()?.lowercased(), answer == "y" || answer == "yes" else {
                printError("not approved")
                throw ExitCode(1)
            }
        }
        let push = self.push
        do {
            let object = try await Blocking.run { () -> String in
                let object = try approver.approve(summary)
                if push { try TagPusher.push(tags: [summary.approvalTag], repositoryPath: summary.location.workTree) }
                return object.short
            }
            print("approved: signed tag \(summary.approvalTag) (\(object)) on \(summary.release)")
            print(push ? "pushed \(summary.approvalTag) to origin" : "next: git push origin \(summary.approvalTag)")
        } catch {
            printError("lakegate approve: \(error)")
            throw ExitCode(1)
        }
    }
}
