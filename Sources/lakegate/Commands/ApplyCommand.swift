import ArgumentParser
import Foundation
import LakegateCore
import Planner
import Reconciler

/// `lakegate apply --target T [PATH]`: plans, shows the plan, asks, and applies it.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the plan: create, update, adopt and delete so the workspace matches the product.",
        discussion: """
            Without --auto-approve the plan is shown and confirmed on a terminal; without a terminal apply \
            refuses. Exit 0 when everything applied, 1 when anything failed (dependents of a failed action are \
            skipped, independent ones still run). Running apply again continues where a failed or killed run \
            stopped.
            """
    )

    @OptionGroup var options: PlanOptions

    @Flag(help: "Apply without asking.")
    var autoApprove = false

    @Option(help: "Actions run at once within a wave.")
    var concurrency: Int = 4

    func run() async throws {
        let session = try await options.session()
        let plan = session.plan
        print(PlanRenderer(colors: isatty(STDOUT_FILENO) == 1).render(plan), terminator: "")
        guard plan.hasChanges else { return }
        if !autoApprove {
            guard isatty(STDIN_FILENO) == 1 else {
                FileHandle.standardError.write(
                    Data("apply: not on a terminal, so nothing was applied; pass --auto-approve to apply\n".utf8))
                throw ExitCode(1)
            }
            print("\nDo you want to apply these changes? Only 'yes' is accepted: ", terminator: "")
            guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                print("Apply cancelled.")
                throw ExitCode(1)
            }
        }
        let report = await session.apply(concurrency: concurrency)
        print("\n" + report.summary)
        if !report.succeeded { throw ExitCode(1) }
    }
}
