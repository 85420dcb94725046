import Synchronization

/// The webhook secret and the API token, swapped as a whole when lakegate.yaml is reloaded (SIGHUP).
public final class ServerSecrets: Sendable {
    /// One consistent pair.
    public struct Values: Sendable, Hashable {
        /// The push webhook's shared secret; nil refuses every delivery.
        public var webhookSecret: String?
        /// The bearer token `/api/v1/…` needs; nil refuses every API request.
        public var apiToken: String?

        public init(webhookSecret: String?, apiToken: String?) {
            self.webhookSecret = webhookSecret
            self.apiToken = apiToken
        }
    }

    private let current: Mutex<Values>

    public init(_ values: Values) {
        current = Mutex(values)
    }

    /// The values in force.
    public var values: Values { current.withLock { $0 } }

    /// Replaces the values (after a reload was validated).
    public func replace(with values: Values) {
        current.withLock { $0 = values }
    }
}
