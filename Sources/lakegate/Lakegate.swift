import ArgumentParser
import LakegateCore

/// The `lakegate` command line: subcommands parse arguments and wire library components.
@main
struct Lakegate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lakegate",
        abstract: "GitOps for Databricks data products: validate, render, plan, apply, govern and promote.",
        version: LakegateVersion.string,
        subcommands: [
            // Subcommands, one file each under Commands/.
            ValidateCommand.self,
            RenderCommand.self,
            ContractCommand.self,
            PolicyCommand.self,
            GitCommand.self,
            GatesCommand.self,
            WorkspaceCommand.self,
            PlanCommand.self,
            CaptureCommand.self,
            ApplyCommand.self,
            ShowCommand.self,
            ReconcileCommand.self,
            HistoryCommand.self,
            HoldCommand.self,
            UnholdCommand.self,
            ConfigCommand.self,
            ServeCommand.self,
            StatusCommand.self,
            InitCommand.self,
            ReleaseCommand.self,
            ApproveCommand.self,
        ]
    )
}
