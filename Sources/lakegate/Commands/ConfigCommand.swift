import ArgumentParser

/// `lakegate config`: the operator configuration (`lakegate.yaml`).
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with the operator configuration (lakegate.yaml).",
        subcommands: [ConfigValidateCommand.self]
    )
}
