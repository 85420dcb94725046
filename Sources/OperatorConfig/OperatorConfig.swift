import Foundation
import Governance

/// The operator's `lakegate.yaml`: which product repositories to watch, the environments they are promoted
/// through, each environment's workspace, credentials, sync rules and gates, and how the controller runs.
///
/// Secrets are never inline: credentials are references to environment variables, files or Databricks
/// configuration profiles. Load with ``OperatorConfig/load(path:)``; see docs/configuration.md.
public struct OperatorConfig: Sendable, Hashable {
    public var stateDir: String
    public var listen: ListenAddress
    public var poll: Poll
    /// How many product × environment reconciles run at once.
    public var concurrency: Int
    public var webhook: Webhook?
    public var governance: Governance?
    /// Environments in promotion order, as written.
    public var environments: [Environment]
    public var products: [Product]
    /// How long `serve` lets the pass in flight finish after SIGTERM before it cancels it (`shutdownGracePeriod`).
    public var shutdownGracePeriod: Duration = .seconds(30)
    /// Audit signing and checkpoints; nil leaves new entries unsigned.
    public var audit: Audit? = nil
    /// The API's bearer token; nil closes `/api/v1/…`.
    public var api: API? = nil
    /// The log level (one of ``logLevels``); `LAKEGATE_LOG_LEVEL` overrides it.
    public var logLevel: String = "info"
    /// Shared PostgreSQL state; nil keeps the embedded SQLite file in ``stateDir``. `LAKEGATE_STATE_URL` sets the
    /// URL too.
    public var state: State? = nil
    /// Notification providers and the routes that choose events for them; nil sends nothing.
    public var notifications: Notifications? = nil
    /// Who may read the web console besides API-token holders; nil accepts the API token only.
    public var console: Console? = nil

    /// The environment named `name`.
    public func environment(_ name: String) -> Environment? {
        environments.first { $0.name == name }
    }

    /// A host and port to listen on.
    public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// How often repositories are polled.
    public struct Poll: Sendable, Hashable {
        public var interval: Duration
        /// Up to this much is added at random to each interval, so repositories are not polled in lockstep.
        public var jitter: Duration
    }

    /// Where a secret comes from: an environment variable or a file, never the configuration itself.
    public enum SecretReference: Sendable, Hashable {
        case environmentVariable(String)
        case file(String)
    }

    /// The push webhook endpoint's shared secret.
    public struct Webhook: Sendable, Hashable {
        public var secret: SecretReference
    }

    /// Credentials for a Git remote.
    public enum GitCredentials: Sendable, Hashable {
        /// An HTTPS token, with the user name to send it as.
        case token(SecretReference, username: String)
        /// An SSH private key file and the known-hosts file to check the server against.
        case ssh(keyFile: String, knownHostsFile: String?)
    }

    /// The governance repository holding policy sets.
    public struct Governance: Sendable, Hashable {
        public var repo: String
        public var ref: String
        /// The folder with the policy sets inside the repository.
        public var path: String
        public var credentials: GitCredentials?
    }

    /// Databricks workspace credentials, following the Databricks unified authentication conventions. Secrets in
    /// files are read again before each use, so a rotated Kubernetes Secret takes effect without a restart.
    public enum WorkspaceCredentials: Sendable, Hashable {
        /// A personal access token (`pat`).
        case token(SecretReference)
        /// OAuth machine-to-machine (`oauth-m2m`): the client id from an environment variable, the secret from a
        /// variable or a file.
        case oauth(clientIDVariable: String, clientSecret: SecretReference)
        /// An Azure service principal with a client secret (`azure-client-secret`).
        case azure(AzureServicePrincipal)
        /// Workload identity federation (`file-oidc`): an ID token file (a Kubernetes service account token)
        /// exchanged for a workspace token, for the service principal whose id the variable holds.
        case workloadIdentity(tokenFile: String, clientIDVariable: String)
        /// A profile in a `.databrickscfg` file (the default file when nil).
        case profile(String, configFile: String?)
    }

    /// An Azure service principal: client id from an environment variable, secret from a variable or a file.
    public struct AzureServicePrincipal: Sendable, Hashable {
        public var clientIDVariable: String
        public var clientSecret: SecretReference
        /// The Entra ID tenant; nil to learn it from the workspace.
        public var tenantID: String?
        /// The Entra ID login endpoint when not the one of the workspace's Azure cloud.
        public var loginEndpoint: String?

        public init(
            clientIDVariable: String, clientSecret: SecretReference, tenantID: String? = nil,
            loginEndpoint: String? = nil
        ) {
            self.clientIDVariable = clientIDVariable
            self.clientSecret = clientSecret
            self.tenantID = tenantID
            self.loginEndpoint = loginEndpoint
        }
    }

    /// A Databricks workspace.
    public struct Workspace: Sendable, Hashable {
        public var host: String
        public var credentials: WorkspaceCredentials
    }

    /// How an environment picks the revision to deploy.
    public enum Follows: Sendable, Hashable {
        /// The head of a branch.
        case branch(String)
        /// The newest release tag.
        case releases
        /// The release named by the newest valid approval (quorum of signed approval tags).
        case approvals
    }

    /// Whether and how changes are applied.
    public struct Sync: Sendable, Hashable {
        public enum Mode: String, Sendable, Hashable, CaseIterable {
            case auto
            case manual
        }
        public var mode: Mode
        /// Delete owned resources that left the desired state.
        public var prune: Bool
        /// Revert drift in owned resources; when off, drift is only reported.
        public var selfHeal: Bool
        /// Whether `Allow-Destroy` trailers may destroy stateful resources here.
        public var allowDestroy: Bool
        /// A plan that deletes more than this share of the product's resources is refused (0…1).
        public var maxDeleteShare: Double
        /// How long a failed reconcile waits before the next attempt.
        public var backoff = Backoff()
        /// How often the workspace is checked for drift while the revision does not change (the second clock,
        /// beside the git poll). Between checks an unchanged revision in sync costs no workspace request; `0s`
        /// checks on every pass.
        public var driftInterval: Duration = .seconds(600)
        /// How often every product is read in full even when the change log names nothing.
        public var resyncInterval: Duration = .seconds(6 * 3600)
        /// Whether a drift check reads the workspace's change log (`system.access.audit`) and re-reads only the
        /// products it names; when off, every drift check reads every product in full.
        public var auditLog = true
        /// How late an audit event may be delivered: each query looks back this far before the last check.
        public var auditDelay: Duration = .seconds(3600)

        /// `initial` after the first failure, doubling with each further one, never more than `max`.
        public struct Backoff: Sendable, Hashable {
            public var initial: Duration
            public var max: Duration

            public init(initial: Duration = .seconds(5), max: Duration = .seconds(300)) {
                self.initial = initial
                self.max = max
            }
        }

        public init(mode: Mode, prune: Bool, selfHeal: Bool, allowDestroy: Bool, maxDeleteShare: Double) {
            self.mode = mode
            self.prune = prune
            self.selfHeal = selfHeal
            self.allowDestroy = allowDestroy
            self.maxDeleteShare = maxDeleteShare
        }
    }

    /// A commit trailer that must be present with a value matching `pattern`.
    public struct TrailerRule: Sendable, Hashable {
        public var key: String
        /// A regular expression the whole value must match.
        public var pattern: String
        /// The commits it is checked on: every commit of the release range (default) or the release commit.
        public var scope: GateRules.TrailerScope

        public init(key: String, pattern: String, scope: GateRules.TrailerScope = .range) {
            self.key = key
            self.pattern = pattern
            self.scope = scope
        }
    }

    /// Policy severities.
    public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
        case info
        case warning
        case error

        public static func < (a: Severity, b: Severity) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// The gates a revision passes before it is deployed to an environment.
    public struct Gates: Sendable, Hashable {
        public var requiredTrailers: [TrailerRule]
        /// The policy set (folder in the governance repository) evaluated for this environment; nil for
        /// `policySet: none` (required, explicitly, in environments that follow releases or approvals).
        public var policySet: String?
        /// Enabled policies at or above this severity block the deployment.
        public var blockingSeverity: Severity
        /// Distinct valid approvers needed (environments that follow approvals).
        public var quorum: Int
        /// An `ssh-keygen` allowed-signers file.
        public var allowedSigners: String?
        /// A file of revoked keys.
        public var revoked: String?
        /// The release's tagger and authors since the previous release cannot approve it.
        public var fourEyes: Bool
        /// Release tags must carry a valid signature from an allowed signer.
        public var requireSignedRelease: Bool
        /// Approvals count only for the plan they record (`Approved-Plan:`): serve applies a release only when
        /// the plan it computes has the digest a quorum of approvers approved (environments that follow approvals).
        public var bindPlan: Bool = false
    }

    /// One environment (target): dev, qa, prod.
    public struct Environment: Sendable, Hashable {
        public var name: String
        public var workspace: Workspace
        public var follows: Follows
        public var sync: Sync
        public var gates: Gates
        /// Environments a release must have converged in before this one takes it (promotion order). Default:
        /// for an environment that follows approvals, every earlier one that follows releases; else none.
        public var requires: [String]
    }

    /// A data product repository.
    public struct Product: Sendable, Hashable {
        public var name: String
        public var repo: String
        /// The product's folder inside the repository (`.` for the root).
        public var path: String
        /// Release tags are `<prefix><semver>`, e.g. `v1.2.0` or `dp/orders/v1.2.0`.
        public var releaseTagPrefix: String
        public var credentials: GitCredentials?
        /// The environments this product is promoted through (every environment when not given).
        public var environments: [String]
    }
}
