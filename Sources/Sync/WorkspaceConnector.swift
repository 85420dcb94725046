import Databricks
import Logging

/// Makes the workspace client of a session: over libcurl by default; tests pass one over another transport (the
/// in-process emulator), so the controller and the sessions run unchanged against it.
public struct WorkspaceConnector: Sendable {
    /// Told of every response a session's client gets (endpoint group, HTTP status; 0 when none came).
    public typealias Observer = @Sendable (_ group: String, _ status: Int) -> Void

    let make: @Sendable (DatabricksConfig, Logger, Observer?) throws -> DatabricksClient

    /// A connector that makes clients with `make`, passing them the session's observer.
    public init(_ make: @escaping @Sendable (DatabricksConfig, Logger, Observer?) throws -> DatabricksClient) {
        self.make = make
    }

    /// A connector that makes clients with `make`; the session's observer is not told.
    public init(_ make: @escaping @Sendable (DatabricksConfig, Logger) throws -> DatabricksClient) {
        self.make = { config, logger, _ in try make(config, logger) }
    }

    /// Clients over libcurl, with the default transport configuration and retry policy.
    public static let curl = WorkspaceConnector { config, logger, observer in
        try DatabricksClient(config: config, logger: logger, observer: observer)
    }

    /// A client of the workspace `config` names.
    public func client(
        config: DatabricksConfig, logger: Logger, observer: Observer? = nil
    ) throws -> DatabricksClient {
        try make(config, logger, observer)
    }
}
