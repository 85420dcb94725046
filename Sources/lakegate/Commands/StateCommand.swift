import ArgumentParser

/// `lakegate state`: operations on the state store itself.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Manage the state store (SQLite file or shared PostgreSQL).",
        subcommands: [StateMigrateCommand.self])
}
