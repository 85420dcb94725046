import ArgumentParser

/// `lakegate policy`: evaluate governance policies.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Governance policies (CEL).",
        subcommands: [
            PolicyCheckCommand.self
        ]
    )
}
