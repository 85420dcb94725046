import ArgumentParser
import LakegateCore

/// The `lakegate` command line: subcommands parse arguments and wire library components.
@main
struct Lakegate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lakegate",
        abstract: "GitOps for Databricks data products: validate, render, plan, apply, govern and promote.",
        discussion: """
            Exit codes: 0 success; 1 error or failure; 2 changes (plan --detailed-exitcode, capture); 3 refused by \
            governance (policy check, contract diff, gates, git verify, release, approve); 64 usage error. \
            NO_COLOR or TERM=dumb turns colours off; $LAKEGATE_STATE_DIR is the default --state-dir. Shell \
            completion: lakegate --generate-completion-script bash|zsh|fish. See docs/cli.md.
            """,
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
