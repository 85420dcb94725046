import ArgumentParser
import Foundation
import LakegateCore
import OperatorConfig
import Planner
import Reconciler
import Store
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
            if !options.allowDestroy.isEmpty || options.noAdopt || options.state.stateDirectory != nil
                || options.state.stateURL != nil
            {
                throw ValidationError(
                    "--allow-destroy, --no-adopt, --state-dir and --state-url cannot be given with a plan file: it "
                        + "was made under its own rules and state")
            }
        } else {
            if options.target == nil { throw ValidationError("Missing expected argument '--target <target>'") }
            if output == .json && !autoApprove {
                throw ValidationError("--output json needs --auto-approve: there is no prompt in JSON")
            }
        }
    }

    func run() async throws {
        if let planFile {
            try await applySaved(planFile)
            return
        }
        guard let target = options.target else {
            throw ValidationError("Missing expected argument '--target <target>'")
        }
        let store = try options.openStore()
        // On shared state the pair is leased before planning: no replica changes it between this plan and apply.
        try await CLILease.run(store: store, product: try options.productName(), target: target, command: "apply") {
            fenced, deadline in
            try await confirmAndApply(
                try await options.configuredSession(store: store).session, deadline: deadline, store: fenced)
        }
    }

    /// Shows the plan, asks unless told not to (never for a saved plan), applies it and reports; under a lease
    /// each workspace operation first checks that the lease's local deadline has not passed.
    private func confirmAndApply(_ session: PlanSession, deadline: LeaseDeadline?, store: StateStore?) async throws {
        let plan = session.plan
        if output == .text {
            print(PlanRenderer(colors: Terminal.colors(for: STDOUT_FILENO)).render(plan), terminator: "")
        }
        guard plan.hasChanges else {
            if output == .json { print(Self.document(plan: plan, report: nil).prettyJSON) }
            try await recordLastApplied(plan, report: nil, store: store)
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
        let failpoint = CrashFailpoint.fromEnvironment()
        let report = await session.apply(
            concurrency: concurrency,
            afterOperation: {
                failpoint?()
                deadline?.enforce()
            }, beforeOperation: { deadline?.enforce() })
        switch output {
        case .text: print("\n" + report.summary)
        case .json: print(Self.document(plan: plan, report: report).prettyJSON)
        }
        try await recordLastApplied(plan, report: report, store: store)
        if Task.isCancelled, deadline != nil {
            FileHandle.standardError.write(
                Data(
                    ("lakegate apply: the lease on \(session.desired.product) in \(session.desired.target) ran out "
                        + "(paused past it, or the database unreachable), so the apply stopped; run it again\n").utf8))
            throw ExitCode(1)
        }
        if !report.succeeded { throw ExitCode(1) }
    }

    /// Records what was applied (the third side of three-way plans where self-heal is off); a store that cannot
    /// be written fails the command: the workspace changed, the record did not.
    private func recordLastApplied(_ plan: Plan, report: ApplyReport?, store: StateStore?) async throws {
        guard let store else { return }
        do {
            try await LastAppliedUpdate(plan: plan, report: report).write(
                to: store, product: plan.product, target: plan.target)
        } catch {
            FileHandle.standardError.write(Data("lakegate apply: recording what was applied: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// `{"plan": …, "apply": … | null}`.
    static func document(plan: Plan, report: ApplyReport?) -> JSONValue {
        .object(["plan": plan.jsonValue, "apply": report?.jsonValue ?? .null])
    }

    /// Applies the saved plan, made again, when nothing it was made from moved; exits 1 with what moved
    /// otherwise. A plan made on shared PostgreSQL state is applied there, under the pair's lease.
    private func applySaved(_ file: String) async throws {
        let saved: SavedPlan
        let store: StateStore?
        let local: StateStore?
        do {
            saved = try SavedPlan.read(try Data(contentsOf: URL(fileURLWithPath: file)), path: file)
            store =
                OperatorConfig.State.isPostgresURL(saved.stateDirectory)
                ? try StateDirectoryOption.open(
                    url: saved.stateDirectory, password: nil, stateDirectory: options.state.resolved,
                    auditSigner: nil)
                : nil
            // A state directory: opened here too, to record what is applied.
            local = store == nil ? try StateStore(stateDirectory: saved.stateDirectory) : nil
        } catch {
            FileHandle.standardError.write(Data("lakegate apply: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let resume: @Sendable (StateStore?, LeaseDeadline?) async throws -> Void = { fenced, deadline in
            let session: PlanSession
            do {
                session = try await PlanSession.resume(
                    saved, path: file, config: try options.workspace.resolve(), inventory: store?.inventory,
                    logger: options.logger)
            } catch {
                FileHandle.standardError.write(Data("lakegate apply: \(error)\n".utf8))
                throw ExitCode(1)
            }
            try await confirmAndApply(session, deadline: deadline, store: fenced ?? local)
        }
        guard let store else { return try await resume(nil, nil) }
        try await CLILease.run(store: store, product: saved.product, target: saved.target, command: "apply", resume)
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
