import ArgumentParser
import Databricks
import Foundation
import LakegateCore
import Logging
import Planner
import Sync

/// Options shared by `plan` and `apply`.
struct PlanOptions: ParsableArguments {
    @Argument(help: "The product directory.")
    var path: String = "."

    @Option(help: "The bundle target (dev, qa, prod, ...).")
    var target: String

    @Option(help: "Directory holding the inventory of owned objects.")
    var stateDir: String = ".lakegate"

    @OptionGroup var workspace: WorkspaceOptions

    @Option(
        name: .customLong("allow-destroy"),
        help: "Allow deleting or replacing this stateful resource key (repeatable; tables.x.columns.y for a column).")
    var allowDestroy: [String] = []

    @Option(help: "Refuse plans deleting more than this share of the owned resources.")
    var maxDeleteShare: Double = 0.25

    @Flag(help: "Refuse to adopt existing objects that this product does not own yet.")
    var noAdopt = false

    @Flag(help: "Log every request and response (credentials redacted) to stderr.")
    var verbose = false

    var rules: PlanRules {
        PlanRules(allowDestroy: Set(allowDestroy), maxDeleteShare: maxDeleteShare, allowAdoption: !noAdopt)
    }

    /// Renders, reads and plans; prints the error and exits 1 when that fails.
    func session() async throws -> PlanSession {
        var logger = Logger(label: "lakegate.plan")
        logger.logLevel = verbose ? .trace : .warning
        do {
            let config = try workspace.resolve()
            return try await PlanSession.make(
                productDirectory: URL(fileURLWithPath: path), target: target,
                stateDirectory: URL(fileURLWithPath: stateDir), config: config, rules: rules, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// `lakegate plan --target T [PATH]`: what apply would change, like `terraform plan`.
struct PlanCommand: AsyncParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the changes that apply would make to the workspace.",
        discussion: """
            Exit 0 when there are no changes, 1 on error; with --detailed-exitcode, 2 when there are changes. \
            Retained objects (stateful deletes that are not allowed) are reported but are not changes.
            """
    )

    @OptionGroup var options: PlanOptions

    @Option(help: "Output format: text or json.")
    var output: Format = .text

    @Flag(help: "Exit 2 when the plan has changes.")
    var detailedExitcode = false

    func run() async throws {
        let session = try await options.session()
        switch output {
        case .json: print(session.plan.jsonValue.prettyJSON)
        case .text: print(PlanRenderer(colors: isatty(STDOUT_FILENO) == 1).render(session.plan), terminator: "")
        }
        if detailedExitcode && session.plan.hasChanges { throw ExitCode(2) }
    }
}
