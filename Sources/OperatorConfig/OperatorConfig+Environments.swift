import Descriptors
import Foundation
import Governance
import LakegateCore

extension ConfigReader {
    mutating func environments(_ node: YAMLNode) -> [OperatorConfig.Environment]? {
        guard let entries = namedEntries(node, "environments") else { return nil }
        if entries.isEmpty { report(node, "environments", "define at least one environment") }
        var result: [OperatorConfig.Environment] = []
        let names = entries.map(\.key)
        for entry in entries {
            guard entry.key.range(of: "^[a-z][a-z0-9-]*$", options: .regularExpression) != nil else {
                report(
                    at: entry.keyLocation, "environments",
                    "'\(entry.key)' is not a valid name (lower-case letters, digits, -)")
                continue
            }
            if var environment = self.environment(entry.key, entry.value) {
                environment.requires = requires(entry.value, environment, earlier: result, known: names)
                result.append(environment)
            }
        }
        return result
    }

    /// The promotion order of one environment: `requires` as written (known, other environments), else the
    /// default: an environment that follows approvals requires every earlier one that follows releases.
    mutating func requires(
        _ node: YAMLNode, _ environment: OperatorConfig.Environment, earlier: [OperatorConfig.Environment],
        known: [String]
    ) -> [String] {
        let field = "environments.\(environment.name).requires"
        guard let n = node.mapping?.first(where: { $0.key == "requires" })?.value else {
            guard case .approvals = environment.follows else { return [] }
            return earlier.filter { if case .releases = $0.follows { true } else { false } }.map(\.name)
        }
        guard let items = list(n, field) else { return [] }
        var names: [String] = []
        for (index, item) in items.enumerated() {
            guard let name = string(item, "\(field)[\(index)]") else { continue }
            if name == environment.name {
                report(item, "\(field)[\(index)]", "an environment cannot require itself")
            } else if !known.contains(name) {
                report(
                    item, "\(field)[\(index)]",
                    "unknown environment '\(name)' (defined: \(known.joined(separator: ", ")))")
            } else {
                names.append(name)
            }
        }
        return names
    }

    mutating func environment(_ name: String, _ node: YAMLNode) -> OperatorConfig.Environment? {
        let field = "environments.\(name)"
        guard
            let f = fields(
                node, field, allowed: ["workspace", "follows", "branch", "sync", "gates", "requires"],
                required: ["workspace", "follows"])
        else { return nil }
        let workspace = f["workspace"].flatMap { self.workspace($0, "\(field).workspace") }
        var follows: OperatorConfig.Follows?
        if let n = f["follows"], let kind = choice(n, "\(field).follows", ["branch", "releases", "approvals"]) {
            switch kind {
            case "branch": follows = .branch(f["branch"].flatMap { string($0, "\(field).branch") } ?? "main")
            case "releases": follows = .releases
            default: follows = .approvals
            }
            if kind != "branch", let b = f.members["branch"] {
                report(at: b.keyLocation, field, "'branch' applies only when follows is branch")
            }
        }
        let sync = self.sync(f["sync"], "\(field).sync", follows: follows)
        let gates = self.gates(f["gates"], "\(field).gates", follows: follows, environmentNode: node)
        guard let workspace, let follows, let sync, let gates else { return nil }
        return .init(name: name, workspace: workspace, follows: follows, sync: sync, gates: gates, requires: [])
    }

    mutating func workspace(_ node: YAMLNode, _ field: String) -> OperatorConfig.Workspace? {
        guard let f = fields(node, field, allowed: ["host", "credentials"], required: ["host", "credentials"]) else {
            return nil
        }
        var host: String?
        if let n = f["host"], let value = string(n, "\(field).host") {
            if value.hasPrefix("https://") || value.hasPrefix("http://") {
                host = value
            } else {
                report(n, "\(field).host", "expected a URL starting with https:// (or http:// for the emulator)")
            }
        }
        let credentials = f["credentials"].flatMap { workspaceCredentials($0, "\(field).credentials") }
        guard let host, let credentials else { return nil }
        return .init(host: host, credentials: credentials)
    }

    mutating func workspaceCredentials(_ node: YAMLNode, _ field: String) -> OperatorConfig.WorkspaceCredentials? {
        let allowed = [
            "tokenEnv", "tokenFile", "clientIdEnv", "clientSecretEnv", "clientSecretFile", "oidcTokenFile",
            "azureClientIdEnv", "azureClientSecretEnv", "azureClientSecretFile", "azureTenantId", "azureLoginEndpoint",
            "profile", "configFile",
        ]
        let inline = Self.secretLikeKeys + ["clientId", "azureClientId", "azureClientSecret"]
        guard let f = fields(node, field, allowed: allowed + inline) else { return nil }
        rejectInlineSecrets(f, hint: "tokenEnv, tokenFile, clientSecretEnv, clientSecretFile or profile")
        for key in ["clientId", "azureClientId", "azureClientSecret"] {
            if let n = f.members[key] {
                let hint = key == "azureClientSecret" ? "azureClientSecretEnv or azureClientSecretFile" : key + "Env"
                report(at: n.keyLocation, field, "give '\(key)' by reference: \(hint)")
            }
        }
        let has = { (keys: [String]) in keys.contains { f[$0] != nil } }
        let methods = [
            ("a token (tokenEnv/tokenFile)", has(["tokenEnv", "tokenFile"])),
            (
                "an OAuth client secret (clientSecretEnv/clientSecretFile)",
                has(["clientSecretEnv", "clientSecretFile"])
            ),
            ("an OIDC token file (oidcTokenFile)", has(["oidcTokenFile"])),
            (
                "an Azure service principal (azureClientIdEnv, azureClientSecretEnv/azureClientSecretFile)",
                has(["azureClientIdEnv", "azureClientSecretEnv", "azureClientSecretFile", "azureTenantId"])
            ),
            ("a profile", has(["profile"])),
        ].filter(\.1).map(\.0)
        guard methods.count == 1 else {
            if methods.isEmpty {
                report(
                    node, field,
                    "give one of tokenEnv, tokenFile, clientIdEnv + clientSecretEnv/clientSecretFile, clientIdEnv + "
                        + "oidcTokenFile, azureClientIdEnv + azureClientSecretEnv/azureClientSecretFile, or profile")
            } else {
                report(node, field, "give only one of " + methods.joined(separator: ", "))
            }
            return nil
        }
        if f["profile"] == nil, let n = f.members["configFile"] {
            report(at: n.keyLocation, field, "configFile applies only with profile")
        }
        if f["azureClientIdEnv"] == nil, let n = f.members["azureLoginEndpoint"] {
            report(at: n.keyLocation, field, "azureLoginEndpoint applies only to an Azure service principal")
        }
        if has(["tokenEnv", "tokenFile"]) {
            return secretReference(f, envKey: "tokenEnv", fileKey: "tokenFile", required: true).map {
                OperatorConfig.WorkspaceCredentials.token($0)
            }
        }
        if has(["clientSecretEnv", "clientSecretFile", "oidcTokenFile"]) {
            let id = f["clientIdEnv"].flatMap { environmentVariable($0, "\(field).clientIdEnv") }
            if f["clientIdEnv"] == nil { report(node, field, "missing required key 'clientIdEnv'") }
            if let n = f["oidcTokenFile"] {
                guard let path = string(n, "\(field).oidcTokenFile"), let id else { return nil }
                return .workloadIdentity(tokenFile: path, clientIDVariable: id)
            }
            let secret = secretReference(f, envKey: "clientSecretEnv", fileKey: "clientSecretFile", required: true)
            guard let id, let secret else { return nil }
            return .oauth(clientIDVariable: id, clientSecret: secret)
        }
        if has(["azureClientIdEnv", "azureClientSecretEnv", "azureClientSecretFile", "azureTenantId"]) {
            let id = f["azureClientIdEnv"].flatMap { environmentVariable($0, "\(field).azureClientIdEnv") }
            if f["azureClientIdEnv"] == nil { report(node, field, "missing required key 'azureClientIdEnv'") }
            let secret = secretReference(
                f, envKey: "azureClientSecretEnv", fileKey: "azureClientSecretFile", required: true)
            let tenant = f["azureTenantId"].flatMap { string($0, "\(field).azureTenantId") }
            var endpoint: String?
            if let n = f["azureLoginEndpoint"], let value = string(n, "\(field).azureLoginEndpoint") {
                if value.hasPrefix("https://") || value.hasPrefix("http://") {
                    endpoint = value
                } else {
                    report(n, "\(field).azureLoginEndpoint", "expected a URL starting with https://")
                }
            }
            guard let id, let secret else { return nil }
            return .azure(
                OperatorConfig.AzureServicePrincipal(
                    clientIDVariable: id, clientSecret: secret, tenantID: tenant, loginEndpoint: endpoint))
        }
        if f["clientIdEnv"] != nil, let n = f.members["clientIdEnv"] {
            report(at: n.keyLocation, field, "clientIdEnv needs clientSecretEnv, clientSecretFile or oidcTokenFile")
        }
        guard let name = f["profile"].flatMap({ string($0, "\(field).profile") }) else { return nil }
        return .profile(name, configFile: f["configFile"].flatMap { string($0, "\(field).configFile") })
    }

    mutating func sync(_ node: YAMLNode?, _ field: String, follows: OperatorConfig.Follows?) -> OperatorConfig.Sync? {
        // Defaults: dev-like environments (following a branch) report drift; release environments revert it.
        var sync = OperatorConfig.Sync(
            mode: .auto, prune: true, selfHeal: follows.map { if case .branch = $0 { false } else { true } } ?? false,
            allowDestroy: false, maxDeleteShare: 0.25)
        guard let node else { return sync }
        let allowed = [
            "mode", "prune", "selfHeal", "allowDestroy", "maxDeleteShare", "backoff", "driftInterval", "resyncInterval",
            "auditLog", "auditDelay",
        ]
        guard let f = fields(node, field, allowed: allowed) else { return nil }
        if let n = f["mode"], let mode = choice(n, "\(field).mode", OperatorConfig.Sync.Mode.allCases.map(\.rawValue)) {
            sync.mode = OperatorConfig.Sync.Mode(rawValue: mode)!
        }
        if let n = f["prune"], let value = bool(n, "\(field).prune") { sync.prune = value }
        if let n = f["selfHeal"], let value = bool(n, "\(field).selfHeal") { sync.selfHeal = value }
        if let n = f["allowDestroy"], let value = bool(n, "\(field).allowDestroy") { sync.allowDestroy = value }
        if let n = f["maxDeleteShare"], let value = number(n, "\(field).maxDeleteShare") {
            if (0...1).contains(value) {
                sync.maxDeleteShare = value
            } else {
                report(n, "\(field).maxDeleteShare", "must be between 0 and 1, got \(value)")
            }
        }
        if let n = f["backoff"], let b = fields(n, "\(field).backoff", allowed: ["initial", "max"]) {
            for (key, node) in [("initial", b["initial"]), ("max", b["max"])] {
                guard let node, let value = duration(node, "\(field).backoff.\(key)") else { continue }
                guard value >= .seconds(1) else {
                    report(node, "\(field).backoff.\(key)", "must be at least 1s")
                    continue
                }
                if key == "initial" { sync.backoff.initial = value } else { sync.backoff.max = value }
            }
            if sync.backoff.max < sync.backoff.initial {
                report(n, "\(field).backoff", "max must not be less than initial")
            }
        }
        driftClocks(f, field, into: &sync)
        return sync
    }

    mutating func gates(_ node: YAMLNode?, _ field: String, follows: OperatorConfig.Follows?, environmentNode: YAMLNode)
        -> OperatorConfig.Gates?
    {
        var gates = OperatorConfig.Gates(
            requiredTrailers: [], policySet: nil, blockingSeverity: .error, quorum: 0, allowedSigners: nil,
            revoked: nil, fourEyes: true, requireSignedRelease: false)
        let allowed = [
            "requiredTrailers", "policySet", "blockingSeverity", "quorum", "allowedSigners", "revoked", "fourEyes",
            "requireSignedRelease", "bindPlan",
        ]
        var f: Fields?
        if let node {
            guard let read = fields(node, field, allowed: allowed) else { return nil }
            f = read
        }
        if let f {
            if let n = f["requiredTrailers"], let items = list(n, "\(field).requiredTrailers") {
                for (index, item) in items.enumerated() {
                    if let rule = trailerRule(item, "\(field).requiredTrailers[\(index)]") {
                        gates.requiredTrailers.append(rule)
                    }
                }
            }
            gates.policySet = f["policySet"].flatMap { string($0, "\(field).policySet") }
            if gates.policySet == "none" { gates.policySet = nil }
            if let n = f["policySet"], gates.policySet != nil, !hasGovernance {
                report(n, "\(field).policySet", "needs a governance repository: add the top-level 'governance' section")
            }
            if let n = f["blockingSeverity"],
                let value = choice(n, "\(field).blockingSeverity", OperatorConfig.Severity.allCases.map(\.rawValue))
            {
                gates.blockingSeverity = OperatorConfig.Severity(rawValue: value)!
            }
            if let n = f["quorum"], let value = int(n, "\(field).quorum") {
                if value < 0 { report(n, "\(field).quorum", "must not be negative") } else { gates.quorum = value }
            }
            gates.allowedSigners = f["allowedSigners"].flatMap { string($0, "\(field).allowedSigners") }
            gates.revoked = f["revoked"].flatMap { string($0, "\(field).revoked") }
            if let n = f["fourEyes"], let value = bool(n, "\(field).fourEyes") { gates.fourEyes = value }
            if let n = f["requireSignedRelease"], let value = bool(n, "\(field).requireSignedRelease") {
                gates.requireSignedRelease = value
            }
            if let n = f["bindPlan"], let value = bool(n, "\(field).bindPlan") { gates.bindPlan = value }
        }
        let at = node ?? environmentNode
        // Releases and approvals are governed: the policy set is named, or `none` said out loud.
        if let follows, !Self.isBranch(follows), f?.members["policySet"] == nil {
            report(
                at, field,
                "missing required key 'policySet': name the policy set of this environment, or say 'policySet: none'")
        }
        if case .approvals = follows {
            if f?["quorum"] == nil { gates.quorum = 1 }
            if gates.quorum < 1 {
                report(f?["quorum"] ?? at, "\(field).quorum", "must be at least 1 when follows is approvals")
            }
            if gates.allowedSigners == nil {
                report(at, field, "missing required key 'allowedSigners' (follows is approvals)")
            }
        } else if gates.quorum > 0, let n = f?["quorum"] {
            report(n, "\(field).quorum", "a quorum needs follows: approvals")
        }
        if gates.bindPlan, let follows, !Self.follows(follows, approvals: true), let n = f?["bindPlan"] {
            report(n, "\(field).bindPlan", "binding approvals to a plan needs follows: approvals")
        }
        if gates.requireSignedRelease, gates.allowedSigners == nil {
            report(at, field, "requireSignedRelease needs allowedSigners")
        }
        return gates
    }

    static func follows(_ follows: OperatorConfig.Follows, approvals: Bool) -> Bool {
        if case .approvals = follows { return approvals }
        return !approvals
    }

    static func isBranch(_ follows: OperatorConfig.Follows) -> Bool {
        if case .branch = follows { return true }
        return false
    }

    mutating func trailerRule(_ node: YAMLNode, _ field: String) -> OperatorConfig.TrailerRule? {
        guard let f = fields(node, field, allowed: ["key", "pattern", "scope"], required: ["key"]) else { return nil }
        var scope = GateRules.TrailerScope.range
        if let n = f["scope"],
            let value = choice(n, "\(field).scope", GateRules.TrailerScope.allCases.map(\.rawValue))
        {
            scope = GateRules.TrailerScope(rawValue: value)!
        }
        var key: String?
        if let n = f["key"], let value = string(n, "\(field).key") {
            if value.range(of: "^[A-Za-z0-9][A-Za-z0-9-]*$", options: .regularExpression) != nil {
                key = value
            } else {
                report(n, "\(field).key", "'\(value)' is not a trailer key (letters, digits and -)")
            }
        }
        var pattern = ".+"
        if let n = f["pattern"], let value = string(n, "\(field).pattern") {
            do {
                _ = try NSRegularExpression(pattern: value)
                pattern = value
            } catch {
                report(n, "\(field).pattern", "invalid regular expression '\(value)'")
            }
        }
        guard let key else { return nil }
        return .init(key: key, pattern: pattern, scope: scope)
    }

    mutating func products(_ node: YAMLNode, environments known: [String]) -> [OperatorConfig.Product]? {
        guard let items = list(node, "products") else { return nil }
        var result: [OperatorConfig.Product] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let field = "products[\(index)]"
            let allowed = ["name", "repo", "path", "releaseTagPrefix", "credentials", "environments"]
            guard let f = fields(item, field, allowed: allowed, required: ["name", "repo"]) else { continue }
            var name: String?
            if let n = f["name"], let value = string(n, "\(field).name") {
                if value.range(of: "^[a-z0-9][a-z0-9_-]*$", options: .regularExpression) == nil {
                    report(n, "\(field).name", "'\(value)' is not a valid name (lower-case letters, digits, -, _)")
                } else if !seen.insert(value).inserted {
                    report(n, "\(field).name", "duplicate product '\(value)'")
                } else {
                    name = value
                }
            }
            let repo = f["repo"].flatMap { repositoryURL($0, "\(field).repo") }
            var path = "."
            if let n = f["path"], let value = string(n, "\(field).path") {
                if value.hasPrefix("/") || value.split(separator: "/").contains("..") {
                    report(n, "\(field).path", "must be a relative path inside the repository")
                } else {
                    path = value
                }
            }
            let prefix = f["releaseTagPrefix"].flatMap { string($0, "\(field).releaseTagPrefix") } ?? "v"
            let credentials = f["credentials"].flatMap { gitCredentials($0, "\(field).credentials") }
            var targets = known
            if let n = f["environments"], let names = list(n, "\(field).environments") {
                targets = []
                for (position, element) in names.enumerated() {
                    guard let envName = string(element, "\(field).environments[\(position)]") else { continue }
                    guard known.contains(envName) else {
                        var message = "unknown environment '\(envName)'"
                        if let suggestion = Self.suggestion(for: envName, among: known) {
                            message += "; did you mean '\(suggestion)'?"
                        } else {
                            message += " (defined: \(known.joined(separator: ", ")))"
                        }
                        report(element, "\(field).environments[\(position)]", message)
                        continue
                    }
                    targets.append(envName)
                }
            }
            guard let name, let repo else { continue }
            result.append(
                .init(
                    name: name, repo: repo, path: path, releaseTagPrefix: prefix, credentials: credentials,
                    environments: targets))
        }
        return result
    }
}
