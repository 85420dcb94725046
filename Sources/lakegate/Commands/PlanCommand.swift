import ArgumentParser
import Databricks
import Descriptors
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
    var target: String?

    /// The directory holding the inventory of owned objects.
    @OptionGroup var state: StateDirectoryOption

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

    var logger: Logger {
        var logger = Logger(label: "lakegate.plan")
        logger.logLevel = verbose ? .trace : .warning
        return logger
    }

    /// Renders, reads and plans; prints the error and exits 1 when that fails.
    func session() async throws -> PlanSession {
        try await configuredSession().session
    }

    /// The session and the workspace configuration it was planned against.
    func configuredSession() async throws -> (session: PlanSession, config: DatabricksConfig) {
        guard let target else { throw ValidationError("Missing expected argument '--target <target>'") }
        for warning in ProductLoader.warnings(DirectoryFileSource(root: URL(fileURLWithPath: path))) {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        do {
            let config = try workspace.resolve()
            let session = try await PlanSession.make(
                productDirectory: URL(fileURLWithPath: path), target: target,
                stateDirectory: URL(fileURLWithPath: state.resolved), config: config, rules: rules, logger: logger)
            return (session, config)
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

    @Option(
        name: [.customLong("out", withSingleDash: true), .customLong("out")],
        help: ArgumentHelp(
            "Save the plan to this file, for lakegate apply FILE and lakegate show FILE.", valueName: "file"))
    var out: String?

    func validate() throws {
        if options.target == nil { throw ValidationError("Missing expected argument '--target <target>'") }
    }

    func run() async throws {
        let (session, config) = try await options.configuredSession()
        switch output {
        case .json: print(session.plan.jsonValue.prettyJSON)
        case .text:
            print(PlanRenderer(colors: Terminal.colors(for: STDOUT_FILENO)).render(session.plan), terminator: "")
        }
        if let out {
            let saved = session.saved(
                rules: options.rules, productDirectory: URL(fileURLWithPath: options.path),
                stateDirectory: URL(fileURLWithPath: options.state.resolved), host: config.host ?? "")
            do {
                try Data(saved.fileText.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                FileHandle.standardError.write(Data("lakegate plan: cannot write \(out): \(error)\n".utf8))
                throw ExitCode(1)
            }
            // On stderr, so that --output json stays one JSON document on stdout.
            FileHandle.standardError.write(
                Data("Saved the plan to \(out): lakegate apply \(out) applies exactly it.\n".utf8))
        }
        if detailedExitcode && session.plan.hasChanges { throw ExitCode(2) }
    }
}
