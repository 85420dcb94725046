import ArgumentParser
import Foundation
import GitSource
import Governance
import LakegateCore
import Lifecycle
import OperatorConfig
import Planner
import Reconciler
import Sync

/// `lakegate approve RELEASE --target T [--key FILE] [--push]`: the signed approval tag of a release.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a release for a target: show what is approved, then create the signed approval tag.",
        discussion: """
            The tag is approval/<target>/<release>/<principal> on the release tag object, signed with SSH. The \
            principal is the key's identity in --allowed-signers, else git's user.email. A re-approval by the \
            same principal (a rollback) gets a -2, -3, … suffix. With --config, the target's gates in lakegate.yaml \
            (allowed signers, revoked keys, four eyes) apply and the release must pass every gate serve checks but \
            the quorum. A refused approval exits 3 and creates and pushes nothing. Where the target sets \
            gates.bindPlan, the plan serve would run is computed and its digest recorded (Approved-Plan:): the \
            approval counts for that plan only (exit 1, no tag, when it cannot be made). See docs/lifecycle.md.
            """
    )

    @Argument(help: "The release tag, e.g. v1.2.0.")
    var release: String

    @Argument(help: "The product directory inside the repository.")
    var path: String = "."

    @Option(help: "The target environment, e.g. prod.")
    var target: String

    @OptionGroup var tag: TagOptions

    @Option(help: "allowed_signers file: names you, and checks the release signature.")
    var allowedSigners: String?

    @Option(help: "The policy directory (default: $LAKEGATE_POLICIES, else <PATH>/policies).")
    var policies: String?

    @Option(help: "The operator configuration (lakegate.yaml): the target's gates and serve's verdict.")
    var config: String?

    @Option(help: "The product as named in --config (default: its only product).")
    var product: String?

    /// The workspace of the plan summary.
    @OptionGroup var workspace: WorkspaceOptions

    /// The directory holding the inventory of owned objects.
    @OptionGroup var state: StateDirectoryOption

    @Flag(help: "Do not ask for confirmation on a terminal.")
    var yes = false

    func run() async throws {
        var configured = Approver(
            productPath: path, release: release, target: target, key: tag.key,
            policies: PolicyDirectory.resolve(explicit: policies, productPath: path).path,
            allowedSigners: allowedSigners, message: tag.message)
        let summary: Approver.Summary
        // The plan serve would run, when the target binds approvals to plans.
        var boundPlan: (digest: String, summary: String)?
        do {
            if let config {
                boundPlan = try await applyConfig(config, to: &configured)
            }
            let approver = configured
            summary = try await Blocking.run { try approver.summarize() }
        } catch {
            printError("lakegate approve: \(error)")
            throw ExitCode(1)
        }
        let plan: String
        if let boundPlan {
            plan = "\(boundPlan.summary) — this approval counts for plan \(boundPlan.digest) only (gates.bindPlan)"
        } else {
            plan = await ApprovalPlan.summary(
                location: summary.location, commit: summary.commit, target: target,
                stateDirectory: URL(fileURLWithPath: state.resolved), explicit: workspace.explicit)
        }
        print(ApprovalReport.text(summary, plan: plan))
        guard summary.refusals.isEmpty else {
            printError(
                "lakegate approve: refused: \(summary.refusals.count) reason(s) above; no tag was created, nothing pushed"
            )
            throw ExitCode(3)
        }
        if isatty(STDIN_FILENO) == 1 && !yes {
            FileHandle.standardError.write(Data("Approve \(summary.release) for \(target)? [y/N] ".utf8))
            guard let answer = readLine()?.lowercased(), answer == "y" || answer == "yes" else {
                printError("not approved")
                throw ExitCode(1)
            }
        }
        let push = tag.push
        let approver = configured
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

    /// The target's gates from lakegate.yaml, and serve's verdict on the release; with `gates.bindPlan`, the plan
    /// serve would run (its digest and summary).
    private func applyConfig(_ path: String, to approver: inout Approver) async throws -> (
        digest: String, summary: String
    )? {
        let operatorConfig = try OperatorConfig.load(path: path)
        guard let environment = operatorConfig.environment(target) else {
            throw ValidationError("\(path) defines no environment '\(target)'")
        }
        approver.allowedSigners = allowedSigners ?? environment.gates.allowedSigners
        approver.revoked = environment.gates.revoked
        approver.fourEyes = environment.gates.fourEyes
        let name = try ConfiguredProduct.name(product, in: operatorConfig, path: path)
        approver.verdict = try await ConfiguredProduct.verdict(
            config: operatorConfig, product: name, target: target, release: release)
        if environment.gates.bindPlan {
            // What serve would run, by serve's own steps: an approval that cannot name it is not made.
            let session: PlanSession
            do {
                session = try await ConfiguredProduct.controller(operatorConfig).plan(
                    product: name, target: target, release: release)
            } catch {
                throw ConfiguredProductError(
                    "\(target) binds approvals to plans (gates.bindPlan) and the plan serve would run cannot be "
                        + "made: \(error)")
            }
            approver.planDigest = session.plan.digest
            return (session.plan.digest, session.plan.summary.line)
        }
        return nil
    }
}
