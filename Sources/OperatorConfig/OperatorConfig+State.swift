import Descriptors
import Foundation

extension OperatorConfig {
    /// Shared state in PostgreSQL (`state:` in lakegate.yaml): several `serve` replicas, one writer per product.
    public struct State: Sendable, Hashable {
        /// `postgres://user@host:port/database?sslmode=…`, without a password; nil when `LAKEGATE_STATE_URL` gives
        /// it (from a Kubernetes Secret, say).
        public var url: String?
        /// Where the password comes from, when the server wants one.
        public var password: SecretReference?
        /// How long a replica's claim on a product × environment lasts without renewal; a dead replica's work is
        /// taken over within it.
        public var leaseDuration: Duration = .seconds(15)

        public init(url: String?, password: SecretReference? = nil, leaseDuration: Duration = .seconds(15)) {
            self.url = url
            self.password = password
            self.leaseDuration = leaseDuration
        }

        /// Whether `url` names a PostgreSQL server.
        public static func isPostgresURL(_ url: String) -> Bool {
            url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")
        }
    }
}

extension ConfigReader {
    mutating func state(_ node: YAMLNode) -> OperatorConfig.State? {
        let allowed = ["url", "passwordEnv", "passwordFile", "leaseDuration"] + Self.secretLikeKeys
        guard let f = fields(node, "state", allowed: allowed) else { return nil }
        rejectInlineSecrets(f, hint: "passwordEnv or passwordFile")
        let password = secretReference(f, envKey: "passwordEnv", fileKey: "passwordFile", required: false)
        var leaseDuration = Duration.seconds(15)
        if let n = f["leaseDuration"], let d = duration(n, "state.leaseDuration") {
            if d < .seconds(1) { report(n, "state.leaseDuration", "must be at least 1s") } else { leaseDuration = d }
        }
        guard let urlNode = f["url"] else { return .init(url: nil, password: password, leaseDuration: leaseDuration) }
        guard let url = string(urlNode, "state.url") else { return nil }
        guard OperatorConfig.State.isPostgresURL(url) else {
            report(urlNode, "state.url", "expected a postgres:// or postgresql:// URL")
            return nil
        }
        if url.range(of: "://[^@/]*:[^@/]*@", options: .regularExpression) != nil || url.contains("password=") {
            report(urlNode, "state.url", "a password in the URL is not allowed; use state.passwordEnv or passwordFile")
            return nil
        }
        return .init(url: url, password: password, leaseDuration: leaseDuration)
    }
}
