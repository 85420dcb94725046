import Databricks
import Logging

/// Makes the workspace client of a session: over libcurl by default; tests pass one over another transport (the
/// in-process emulator), so the controller and the sessions run unchanged against it.
public struct WorkspaceConnector: Sendable {
    let make: @Sendable (DatabricksConfig, Logger) throws -> DatabricksClient

    /// A connector that makes clients with `make`.
    public init(_ make: @escaping @Sendable (DatabricksConfig, Logger) throws -> DatabricksClient) {
        self.make = make
    }

    /// Clients over libcurl, with the default transport configuration and retry policy.
    public static let curl = WorkspaceConnector { config, logger in try DatabricksClient(config: config, logger: logger)
    }

    /// A client of the workspace `config` names.
    public func client(config: DatabricksConfig, logger: Logger) throws -> DatabricksClient {
        try make(config, logger)
    }
}
