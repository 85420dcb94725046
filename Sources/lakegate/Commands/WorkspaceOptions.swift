import ArgumentParser
import Databricks

/// `--host` and `--profile`, shared by the commands that reach a workspace; everything else resolves as the
/// Databricks SDKs do (`DATABRICKS_*` variables, then `~/.databrickscfg`).
struct WorkspaceOptions: ParsableArguments {
    @Option(help: "Workspace URL (overrides DATABRICKS_HOST and the profile).")
    var host: String?

    @Option(help: "Profile of ~/.databrickscfg to use (overrides DATABRICKS_CONFIG_PROFILE).")
    var profile: String?

    /// The values given on the command line, by configuration attribute name.
    var explicit: [String: String] {
        var values: [String: String] = [:]
        if let host { values["host"] = host }
        if let profile { values["profile"] = profile }
        return values
    }

    /// The workspace configuration: these options, then the environment, then the profile file.
    func resolve() throws -> DatabricksConfig {
        try DatabricksConfig.resolve(explicit: explicit)
    }
}
