import ArgumentParser

/// `lakegate policy`: evaluate CEL expressions and check policy sets.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Evaluate CEL expressions and governance policies.",
        subcommands: [
            PolicyEvalCommand.self,
            PolicyCheckCommand.self,
        ]
    )
}
