import ArgumentParser
import Databricks
import Foundation
import LakegateCore
import Logging

/// `lakegate workspace check`: reachability, host, auth method and identity; never the secret.
struct WorkspaceCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Check that the workspace is reachable and the credentials work; print host, auth method and identity.",
        discussion: """
            Credentials follow the Databricks conventions: DATABRICKS_HOST, DATABRICKS_TOKEN, \
            DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET, DATABRICKS_CONFIG_PROFILE, DATABRICKS_CONFIG_FILE \
            and ~/.databrickscfg. Exit 0 when the check passes, 1 otherwise.
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "Output format: text or json.")
    var output: String = "text"

    @Flag(help: "Log every request and response (credentials redacted) to stderr.")
    var verbose = false

    func run() async throws {
        var logger = Logger(label: "lakegate.workspace")
        logger.logLevel = verbose ? .trace : .warning
        do {
            let config = try workspace.resolve()
            let client = try DatabricksClient(config: config, retryPolicy: RetryPolicy(budget: 60), logger: logger)
            let check = try await WorkspaceCheck.run(client: client)
            print(output == "json" ? check.jsonValue.prettyJSON : check.text)
        } catch {
            FileHandle.standardError.write(Data("workspace check failed: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
