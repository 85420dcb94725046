import ArgumentParser

/// `lakegate-emulator`: a local Databricks workspace over real HTTP.
@main
struct LakegateEmulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lakegate-emulator",
        abstract: "A local Databricks workspace for demos and tests."
    )

    func run() async throws {}
}
