import ArgumentParser
import Foundation
import LakegateCore
import Planner
import Sync
import Synchronization

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
        let report = await session.apply(concurrency: concurrency, afterOperation: CrashFailpoint.fromEnvironment())
        print("\n" + report.summary)
        if !report.succeeded { throw ExitCode(1) }
    }
}

/// `LAKEGATE_FAILPOINT_KILL_AFTER_OPERATIONS=N` makes `apply` and `serve` SIGKILL themselves after N workspace
/// operations: how the tests crash an apply at a known point to check that the next run converges.
enum CrashFailpoint {
    static func fromEnvironment() -> (@Sendable () -> Void)? {
        guard let text = ProcessInfo.processInfo.environment["LAKEGATE_FAILPOINT_KILL_AFTER_OPERATIONS"],
            let limit = Int(text), limit > 0
        else { return nil }
        let counter = OperationCounter()
        return {
            if counter.increment() >= limit { kill(getpid(), SIGKILL) }
        }
    }

    final class OperationCounter: Sendable {
        private let count = Atomic<Int>(0)

        func increment() -> Int {
            count.add(1, ordering: .relaxed).newValue
        }
    }
}
