import ArgumentParser

/// `lakegate workspace …`: commands about the Databricks workspace connection.
struct WorkspaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Inspect the Databricks workspace connection.",
        subcommands: [WorkspaceCheckCommand.self]
    )
}
