import Descriptors
import Foundation

extension OperatorConfig {
    /// `notifications:`: where events go (providers) and which events go where (routes).
    public struct Notifications: Sendable, Hashable {
        /// Providers by name, in the order written.
        public var providers: [Provider]
        public var routes: [Route]
        /// A delivery that failed this many times is given up (kept, shown in the console and `/metrics`).
        public var maxAttempts: Int
        /// The first retry waits this long; each further one twice as long, never more than ``maxBackoff``.
        public var initialBackoff: Duration
        public var maxBackoff: Duration

        public init(
            providers: [Provider], routes: [Route], maxAttempts: Int = 12, initialBackoff: Duration = .seconds(5),
            maxBackoff: Duration = .seconds(600)
        ) {
            self.providers = providers
            self.routes = routes
            self.maxAttempts = maxAttempts
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
        }

        /// The provider named `name`.
        public func provider(_ name: String) -> Provider? {
            providers.first { $0.name == name }
        }

        /// The names of the providers an event of `kind` about `product` in `environment` goes to, each once,
        /// in the order the providers are written.
        public func providers(for kind: EventKind, product: String, environment: String) -> [String] {
            let chosen = Set(
                routes.filter { $0.matches(kind: kind, product: product, environment: environment) }
                    .flatMap(\.providers))
            return providers.map(\.name).filter { chosen.contains($0) }
        }
    }

    /// The kinds of event Lakegate sends.
    public enum EventKind: String, Sendable, Hashable, CaseIterable, Codable {
        /// A release converged where the environment requires it and passes every gate but the approvals.
        case approvalRequested = "approval.requested"
        /// A valid approval was counted (quorum progress).
        case approvalRecorded = "approval.recorded"
        /// A new release (or commit) converged in an environment.
        case deployed
        /// A gate or the plan refuses the revision: a new commit or an operator is needed.
        case stalled
        /// A reconcile failed and is retried with backoff.
        case failed
        /// Owned resources differ from the deployed revision where self-heal is off.
        case driftDetected = "drift.detected"
        /// A moved or deleted release tag, a bad signature, a refused approval.
        case security
    }

    /// One place events can be sent.
    public struct Provider: Sendable, Hashable {
        public var name: String
        public var kind: Kind
        /// Where requests go: the webhook URL, or the API base URL of GitHub or GitLab.
        public var url: Endpoint
        /// The HMAC key (generic webhook) or API token (GitHub, GitLab); never inline.
        public var secret: SecretReference?

        /// What the provider speaks.
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            /// JSON body signed with HMAC-SHA256 (`X-Lakegate-Signature-256`).
            case webhook
            /// A Slack incoming webhook (Block Kit message).
            case slack
            /// A Microsoft Teams incoming webhook (Adaptive Card).
            case teams
            /// GitHub commit statuses (`POST /repos/{owner}/{repo}/statuses/{sha}`).
            case github
            /// GitLab commit statuses (`POST /projects/{id}/statuses/{sha}`).
            case gitlab
        }

        /// A URL written in the file, or one read from a secret (Slack and Teams URLs carry their credential).
        public enum Endpoint: Sendable, Hashable {
            case literal(String)
            case secret(SecretReference)
        }

        public init(name: String, kind: Kind, url: Endpoint, secret: SecretReference?) {
            self.name = name
            self.kind = kind
            self.url = url
            self.secret = secret
        }
    }

    /// Chooses events by kind, product and environment (each list empty: every one) for some providers.
    public struct Route: Sendable, Hashable {
        public var providers: [String]
        public var events: [EventKind]
        public var products: [String]
        public var environments: [String]

        public init(providers: [String], events: [EventKind] = [], products: [String] = [], environments: [String] = [])
        {
            self.providers = providers
            self.events = events
            self.products = products
            self.environments = environments
        }

        /// Whether an event of `kind` about `product` in `environment` takes this route. An event about every
        /// environment (`*`, a moved tag) matches any environment list.
        public func matches(kind: EventKind, product: String, environment: String) -> Bool {
            (events.isEmpty || events.contains(kind)) && (products.isEmpty || products.contains(product))
                && (environments.isEmpty || environment == "*" || environments.contains(environment))
        }
    }

    /// `console:`: who besides API-token holders may read the web console.
    public struct Console: Sendable, Hashable {
        /// A header an authenticating proxy in front of `serve` sets to the signed-in user (e.g.
        /// `X-Forwarded-User`); requests carrying it are let in. Only safe when nothing but the proxy reaches serve.
        public var proxyUserHeader: String?

        public init(proxyUserHeader: String?) {
            self.proxyUserHeader = proxyUserHeader
        }
    }

    /// The default API base URLs of the hosted services.
    public static let defaultGitHubAPI = "https://api.github.com"
    public static let defaultGitLabAPI = "https://gitlab.com/api/v4"
}

extension ConfigReader {
    mutating func notifications(_ node: YAMLNode, products: [String], environments: [String])
        -> OperatorConfig.Notifications?
    {
        let field = "notifications"
        guard
            let f = fields(
                node, field, allowed: ["providers", "routes", "retry"], required: ["providers", "routes"])
        else { return nil }
        var providers: [OperatorConfig.Provider] = []
        if let n = f["providers"], let entries = namedEntries(n, "\(field).providers") {
            if entries.isEmpty { report(n, "\(field).providers", "define at least one provider") }
            for entry in entries {
                guard entry.key.range(of: "^[A-Za-z0-9][A-Za-z0-9_-]*$", options: .regularExpression) != nil else {
                    report(at: entry.keyLocation, "\(field).providers", "'\(entry.key)' is not a valid provider name")
                    continue
                }
                if let provider = provider(entry.key, entry.value) { providers.append(provider) }
            }
        }
        let declared = f["providers"].flatMap { $0.mapping?.map(\.key) } ?? []
        var routes: [OperatorConfig.Route] = []
        if let n = f["routes"], let items = list(n, "\(field).routes") {
            for (index, item) in items.enumerated() {
                if let route = route(
                    item, "\(field).routes[\(index)]", providers: declared, products: products,
                    environments: environments)
                {
                    routes.append(route)
                }
            }
        }
        var result = OperatorConfig.Notifications(providers: providers, routes: routes)
        if let n = f["retry"],
            let r = fields(n, "\(field).retry", allowed: ["maxAttempts", "initialBackoff", "maxBackoff"])
        {
            if let m = r["maxAttempts"], let value = int(m, "\(field).retry.maxAttempts") {
                if value < 1 {
                    report(m, "\(field).retry.maxAttempts", "must be at least 1")
                } else {
                    result.maxAttempts = value
                }
            }
            if let m = r["initialBackoff"], let d = duration(m, "\(field).retry.initialBackoff") {
                if d < .milliseconds(100) {
                    report(m, "\(field).retry.initialBackoff", "must be at least 100ms")
                } else {
                    result.initialBackoff = d
                }
            }
            if let m = r["maxBackoff"], let d = duration(m, "\(field).retry.maxBackoff") { result.maxBackoff = d }
            if result.maxBackoff < result.initialBackoff {
                report(n, "\(field).retry", "maxBackoff must not be shorter than initialBackoff")
            }
        }
        return result
    }

    mutating func provider(_ name: String, _ node: YAMLNode) -> OperatorConfig.Provider? {
        let field = "notifications.providers.\(name)"
        let allowed =
            ["type", "url", "urlEnv", "urlFile", "apiURL", "secretEnv", "secretFile", "tokenEnv", "tokenFile"]
            + Self.secretLikeKeys
        guard let f = fields(node, field, allowed: allowed, required: ["type"]) else { return nil }
        rejectInlineSecrets(f, hint: "secretEnv/secretFile or tokenEnv/tokenFile")
        guard
            let kindText = f["type"].flatMap({
                choice($0, "\(field).type", OperatorConfig.Provider.Kind.allCases.map(\.rawValue))
            }), let kind = OperatorConfig.Provider.Kind(rawValue: kindText)
        else { return nil }
        func refuse(_ keys: [String], _ why: String) {
            for key in keys { if let m = f.members[key] { report(at: m.keyLocation, field, "'\(key)' \(why)") } }
        }
        var url: OperatorConfig.Provider.Endpoint?
        var secret: OperatorConfig.SecretReference?
        switch kind {
        case .webhook, .slack, .teams:
            refuse(["apiURL"], "is for github and gitlab providers; use url")
            let literal = f["url"].flatMap { httpURL($0, "\(field).url") }
            let referenced = secretReference(f, envKey: "urlEnv", fileKey: "urlFile", required: false)
            switch (literal, referenced) {
            case (let literal?, nil): url = .literal(literal)
            case (nil, let referenced?): url = .secret(referenced)
            case (.some, .some): report(node, field, "give either url or urlEnv/urlFile, not both")
            case (nil, nil):
                if f.members["url"] == nil && f.members["urlEnv"] == nil && f.members["urlFile"] == nil {
                    report(node, field, "missing required key 'url', 'urlEnv' or 'urlFile'")
                }
            }
            if kind == .webhook {
                refuse(["tokenEnv", "tokenFile"], "is for github and gitlab providers; a webhook takes secretEnv")
                secret = secretReference(f, envKey: "secretEnv", fileKey: "secretFile", required: true)
            } else {
                refuse(
                    ["tokenEnv", "tokenFile", "secretEnv", "secretFile"],
                    "is not used by \(kind.rawValue): the webhook URL is the credential (urlEnv or urlFile)")
            }
        case .github, .gitlab:
            refuse(
                ["url", "urlEnv", "urlFile"], "is not used by \(kind.rawValue); set apiURL for a self-hosted server")
            refuse(
                ["secretEnv", "secretFile"], "is not used by \(kind.rawValue); the API token is tokenEnv or tokenFile")
            let base = kind == .github ? OperatorConfig.defaultGitHubAPI : OperatorConfig.defaultGitLabAPI
            if let n = f["apiURL"] {
                url = httpURL(n, "\(field).apiURL").map { .literal($0.hasSuffix("/") ? String($0.dropLast()) : $0) }
            } else {
                url = .literal(base)
            }
            secret = secretReference(f, envKey: "tokenEnv", fileKey: "tokenFile", required: true)
        }
        guard let url else { return nil }
        if kind == .webhook || kind == .github || kind == .gitlab, secret == nil { return nil }
        return .init(name: name, kind: kind, url: url, secret: secret)
    }

    mutating func httpURL(_ node: YAMLNode, _ field: String) -> String? {
        guard let text = string(node, field) else { return nil }
        guard text.hasPrefix("https://") || text.hasPrefix("http://"), URL(string: text)?.host != nil else {
            report(node, field, "expected an http:// or https:// URL")
            return nil
        }
        if URL(string: text)?.user != nil {
            report(node, field, "credentials in the URL are not allowed; use secretEnv or tokenEnv")
            return nil
        }
        return text
    }

    mutating func route(
        _ node: YAMLNode, _ field: String, providers: [String], products: [String], environments: [String]
    ) -> OperatorConfig.Route? {
        guard
            let f = fields(
                node, field, allowed: ["providers", "events", "products", "environments"], required: ["providers"])
        else { return nil }
        func names(_ key: String, known: [String], what: String) -> [String] {
            guard let n = f[key], let items = list(n, "\(field).\(key)") else { return [] }
            var result: [String] = []
            for (index, item) in items.enumerated() {
                guard let name = string(item, "\(field).\(key)[\(index)]") else { continue }
                if !known.contains(name) {
                    var message = "unknown \(what) '\(name)' (defined: \(known.joined(separator: ", ")))"
                    if let suggestion = Self.suggestion(for: name, among: known) {
                        message += "; did you mean '\(suggestion)'?"
                    }
                    report(item, "\(field).\(key)[\(index)]", message)
                } else {
                    result.append(name)
                }
            }
            return result
        }
        let chosen = names("providers", known: providers, what: "provider")
        if let n = f["providers"], n.sequence?.isEmpty == true {
            report(n, "\(field).providers", "name at least one provider")
        }
        let kinds = names("events", known: OperatorConfig.EventKind.allCases.map(\.rawValue), what: "event")
        let route = OperatorConfig.Route(
            providers: chosen, events: kinds.compactMap(OperatorConfig.EventKind.init(rawValue:)),
            products: names("products", known: products, what: "product"),
            environments: names("environments", known: environments, what: "environment"))
        return chosen.isEmpty ? nil : route
    }

    mutating func console(_ node: YAMLNode) -> OperatorConfig.Console? {
        guard let f = fields(node, "console", allowed: ["proxyUserHeader"]) else { return nil }
        var header: String?
        if let n = f["proxyUserHeader"], let name = string(n, "console.proxyUserHeader") {
            if name.range(of: "^[A-Za-z0-9-]+$", options: .regularExpression) == nil {
                report(n, "console.proxyUserHeader", "'\(name)' is not an HTTP header name")
            } else if ["authorization", "cookie", "host"].contains(name.lowercased()) {
                report(n, "console.proxyUserHeader", "'\(name)' cannot carry the proxy's user")
            } else {
                header = name
            }
        }
        return .init(proxyUserHeader: header)
    }
}

extension OperatorConfig.EventKind {
    /// The commit status an event sets on the release commit (`lakegate/<env>`): pending while approvals are
    /// awaited, success once deployed, failure when stalled or failed; nil for events that set none.
    public var commitStatus: CommitStatus? {
        switch self {
        case .approvalRequested, .approvalRecorded: .pending
        case .deployed: .success
        case .stalled, .failed: .failure
        case .driftDetected, .security: nil
        }
    }

    /// A commit status, as GitHub names it (GitLab says `failed` for failure).
    public enum CommitStatus: String, Sendable, Hashable {
        case pending
        case success
        case failure
    }
}

extension OperatorConfig.Provider.Kind {
    /// Whether the provider sets commit statuses (and so only takes events that have one).
    public var setsCommitStatus: Bool { self == .github || self == .gitlab }
}

extension OperatorConfig.Product {
    /// The exact command an approver runs in a clone of this product's repository to approve `release` for
    /// `target` (sent with `approval.requested` and shown in the console).
    public func approveCommand(release: String, target: String) -> String {
        let folder = path == "." ? "" : " \(path)"
        return "lakegate approve \(release)\(folder) --target \(target) --product \(name) --push"
    }
}
