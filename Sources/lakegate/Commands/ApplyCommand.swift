import ArgumentParser
import Foundation
import LakegateCore
import Planner
import Sync
import Synchronization

/// `lakegate apply --target T [PATH]`: plans, shows the plan, asks, and applies it; `lakegate apply FILE` applies
/// a plan saved by `lakegate plan -out FILE`, exactly, or refuses when anything it was made from moved.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the plan: create, update, adopt and delete so the workspace matches the product.",
        discussion: """
            Without --auto-approve the plan is shown and confirmed on a terminal; without a terminal apply \
            refuses. Exit 0 when everything applied, 1 when anything failed (dependents of a failed action are \
            skipped, independent ones still run). Running apply again continues where a failed or killed run \
            stopped. Given a plan file (lakegate plan -out FILE) instead of a directory, apply plans again and \
            applies only when the desired state, every live resource the plan considered and the inventory are \
            unchanged, without asking; otherwise it lists what changed, applies nothing and exits 1.
            """
    )

    @OptionGroup var options: PlanOptions

    @Flag(help: "Apply without asking.")
    var autoApprove = false

    @Option(help: "Actions run at once within a wave.")
    var concurrency: Int = 4

    @Option(help: "Output format: text, or json (the plan and the result as one document; needs --auto-approve).")
    var output: OutputFormat = .text

    /// The plan file given in place of the product directory, if it is one.
    var planFile: String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.path, isDirectory: &isDirectory) else { return nil }
        return isDirectory.boolValue ? nil : options.path
    }

    func validate() throws {
        if planFile != nil {
            if options.target != nil {
                throw ValidationError("--target cannot be given with a plan file: the plan names its target")
            }
            if !options.allowDestroy.isEmpty || options.noAdopt || options.state.stateDirectory != nil {
                throw ValidationError(
                    "--allow-destroy, --no-adopt and --state-dir cannot be given with a plan file: it was made "
                        + "under its own rules and state directory")
            }
        } else {
            if options.target == nil { throw ValidationError("Missing expected argument '--target <target>'") }
            if output == .json && !autoApprove {
                throw ValidationError("--output json needs --auto-approve: there is no prompt in JSON")
            }
        }
    }

    func run() async throws {
        let session: PlanSession
        if let planFile {
            session = try await savedSession(planFile)
        } else {
            session = try await options.session()
        }
        let plan = session.plan
        if output == .text {
            print(PlanRenderer(colors: Terminal.colors(for: STDOUT_FILENO)).render(plan), terminator: "")
        }
        guard plan.hasChanges else {
            if output == .json { print(Self.document(plan: plan, report: nil).prettyJSON) }
            return
        }
        if !autoApprove && planFile == nil {
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
        switch output {
        case .text: print("\n" + report.summary)
        case .json: print(Self.document(plan: plan, report: report).prettyJSON)
        }
        if !report.succeeded { throw ExitCode(1) }
    }

    /// `{"plan": …, "apply": … | null}`.
    static func document(plan: Plan, report: ApplyReport?) -> JSONValue {
        .object(["plan": plan.jsonValue, "apply": report?.jsonValue ?? .null])
    }

    /// The saved plan made again, when nothing it was made from moved; exits 1 with what moved otherwise.
    private func savedSession(_ file: String) async throws -> PlanSession {
        do {
            let saved = try SavedPlan.read(try Data(contentsOf: URL(fileURLWithPath: file)), path: file)
            return try await PlanSession.resume(
                saved, path: file, config: try options.workspace.resolve(), logger: options.logger)
        } catch {
            FileHandle.standardError.write(Data("lakegate apply: \(error)\n".utf8))
            throw ExitCode(1)
        }
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
