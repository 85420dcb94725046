import ArgumentParser

/// `lakegate git …`: read trailers and verify signatures in a repository.
struct GitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git",
        abstract: "Inspect a Git repository: commit trailers and tag or commit signatures.",
        subcommands: [GitTrailersCommand.self, GitVerifyCommand.self]
    )
}

/// Output formats shared by the git commands.
enum GitOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
