import Foundation
import Governance
import LakegateCore
import TestSupport
import Testing

@testable import OperatorConfig

@Suite struct OperatorConfigTests {
    /// A minimal valid configuration; tests splice lines into it.
    static let minimal = """
        environments:
          dev:
            workspace:
              host: http://127.0.0.1:8000
              credentials:
                tokenEnv: DATABRICKS_TOKEN
            follows: branch
        products:
          - name: shop
            repo: file:///srv/git/shop.git
        """

    /// The diagnostics for `text`, or an issue when it unexpectedly parses.
    static func diagnostics(_ text: String) -> [Diagnostic] {
        do {
            _ = try OperatorConfig.parse(text, path: "lakegate.yaml")
            Issue.record("expected diagnostics")
            return []
        } catch let error as DiagnosticList {
            return error.diagnostics
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test func theCommittedExampleIsValid() throws {
        let path = Paths.packageRoot.appendingPathComponent("Examples/lakegate.yaml").path
        let config = try OperatorConfig.load(path: path)
        #expect(config.environments.map(\.name) == ["dev", "qa", "prod"])
        #expect(config.products.map(\.name) == ["customer-360", "orders"])
        #expect(config.products[1].environments == ["dev", "qa"])
        #expect(
            config.products[1].credentials
                == .ssh(keyFile: "/etc/lakegate/ssh/id_ed25519", knownHostsFile: "/etc/lakegate/ssh/known_hosts"))
        #expect(config.poll.interval == .seconds(60))
        #expect(config.listen.port == 8080)
        #expect(config.webhook?.secret == .environmentVariable("LAKEGATE_WEBHOOK_SECRET"))
        let prod = try #require(config.environment("prod"))
        #expect(prod.follows == .approvals)
        #expect(prod.gates.quorum == 2)
        #expect(prod.gates.blockingSeverity == .warning)
        #expect(prod.gates.requiredTrailers == [.init(key: "Change-Request", pattern: "CHG-\\d+")])
        #expect(prod.workspace.credentials == .profile("prod", configFile: "/etc/lakegate/databrickscfg"))
        #expect(prod.sync.maxDeleteShare == 0.1)
        let qa = try #require(config.environment("qa"))
        #expect(
            qa.workspace.credentials
                == .oauth(
                    clientIDVariable: "QA_DATABRICKS_CLIENT_ID",
                    clientSecret: .environmentVariable("QA_DATABRICKS_CLIENT_SECRET")))
        #expect(config.environment("dev")?.sync.selfHeal == false)
        #expect(config.environment("dev")?.follows == .branch("main"))
    }

    @Test func defaultsFillAMinimalFile() throws {
        let config = try OperatorConfig.parse(Self.minimal, path: "lakegate.yaml")
        #expect(config.stateDir == "/var/lib/lakegate")
        #expect(config.concurrency == 4)
        #expect(config.poll.jitter == .seconds(10))
        #expect(config.listen == .init(host: "127.0.0.1", port: 8080))
        #expect(config.products[0].path == "." && config.products[0].releaseTagPrefix == "v")
        #expect(config.products[0].environments == ["dev"])
        let dev = try #require(config.environment("dev"))
        #expect(dev.sync == .init(mode: .auto, prune: true, selfHeal: false, allowDestroy: false, maxDeleteShare: 0.25))
        #expect(dev.gates.quorum == 0 && dev.gates.fourEyes)
    }

    @Test func anUnknownKeyIsReportedWithASuggestionAndItsPosition() {
        let text = Self.minimal + "\nconcurency: 8\n"
        let diagnostics = Self.diagnostics(text)
        #expect(
            diagnostics.map(\.description) == [
                "lakegate.yaml:11:1: unknown key 'concurency'; did you mean 'concurrency'?"
            ])
    }

    @Test func aNestedUnknownKeyNamesItsField() {
        let text = Self.minimal.replacingOccurrences(
            of: "    follows: branch", with: "    follows: branch\n    sycn: {prune: false}")
        let diagnostics = Self.diagnostics(text)
        #expect(
            diagnostics.map(\.description) == [
                "lakegate.yaml:8:5: environments.dev: unknown key 'sycn'; did you mean 'sync'?"
            ])
    }

    @Test func wrongTypesAreReported() {
        let text =
            Self.minimal.replacingOccurrences(
                of: "    follows: branch",
                with: """
                        follows: branch
                        sync:
                          prune: "yes"
                          maxDeleteShare: lots
                    """) + "\nconcurrency: four\npoll: 30\n"
        let messages = Self.diagnostics(text).map(\.description)
        #expect(
            messages == [
                "lakegate.yaml:9:14: environments.dev.sync.prune: expected true or false, got a string",
                "lakegate.yaml:10:23: environments.dev.sync.maxDeleteShare: expected a number, got a string",
                "lakegate.yaml:14:14: concurrency: expected an integer, got a string",
                "lakegate.yaml:15:7: poll: expected a mapping, got an integer",
            ])
    }

    @Test func missingRequiredKeysAreReportedAtTheirMapping() {
        let text = """
            environments:
              prod:
                workspace:
                  credentials:
                    tokenEnv: T
            products:
              - repo: file:///x.git
            """
        let messages = Self.diagnostics(text).map(\.description)
        #expect(messages.contains("lakegate.yaml:3:5: environments.prod: missing required key 'follows'"))
        #expect(messages.contains("lakegate.yaml:4:7: environments.prod.workspace: missing required key 'host'"))
        #expect(messages.contains("lakegate.yaml:7:5: products[0]: missing required key 'name'"))
        #expect(
            Self.diagnostics("products: []\n").map(\.description) == [
                "lakegate.yaml:1:1: missing required key 'environments'"
            ])
    }

    @Test func aBadTrailerPatternIsReported() {
        let text = Self.minimal.replacingOccurrences(
            of: "    follows: branch",
            with: """
                    follows: branch
                    gates:
                      requiredTrailers:
                        - key: Change-Request
                          pattern: 'CHG-(\\d+'
                """)
        #expect(
            Self.diagnostics(text).map(\.description) == [
                "lakegate.yaml:11:20: environments.dev.gates.requiredTrailers[0].pattern: invalid regular expression 'CHG-(\\d+'"
            ])
    }

    @Test func anUnknownEnvironmentNameIsReportedWithASuggestion() {
        let text = Self.minimal + "\n    environments: [dev, prdo]\n"
        #expect(
            Self.diagnostics(text).map(\.description) == [
                "lakegate.yaml:11:25: products[0].environments[1]: unknown environment 'prdo' (defined: dev)"
            ])
        let near = Self.minimal + "\n    environments: [dve]\n"
        #expect(
            Self.diagnostics(near).map(\.message) == [
                "products[0].environments[0]: unknown environment 'dve'; did you mean 'dev'?"
            ])
    }

    @Test func inlineSecretsAreRefusedWithoutEchoingThem() {
        let text = Self.minimal.replacingOccurrences(
            of: "tokenEnv: DATABRICKS_TOKEN", with: "token: dapi-very-secret-value")
        let diagnostics = Self.diagnostics(text)
        #expect(!diagnostics.isEmpty)
        #expect(diagnostics.allSatisfy { !$0.description.contains("dapi-very-secret-value") })
        #expect(
            diagnostics.contains {
                $0.description.hasPrefix(
                    "lakegate.yaml:6:9: environments.dev.workspace.credentials: inline secrets are not allowed ('token')"
                )
            })
    }

    @Test func approvalsNeedSignersAndAQuorum() {
        let text = Self.minimal.replacingOccurrences(
            of: "follows: branch", with: "follows: approvals\n    gates: {quorum: 0, policySet: none}")
        let messages = Self.diagnostics(text).map(\.message)
        #expect(messages.contains("environments.dev.gates.quorum: must be at least 1 when follows is approvals"))
        #expect(
            messages.contains("environments.dev.gates: missing required key 'allowedSigners' (follows is approvals)"))
    }

    @Test func aPolicySetNeedsAGovernanceRepository() throws {
        let text = Self.minimal.replacingOccurrences(
            of: "follows: branch", with: "follows: branch\n    gates: {policySet: dev}")
        #expect(
            Self.diagnostics(text).map(\.description) == [
                "lakegate.yaml:8:24: environments.dev.gates.policySet: needs a governance repository: add the "
                    + "top-level 'governance' section"
            ])
        let governed = try OperatorConfig.parse(
            "governance: {repo: file:///srv/git/governance.git}\n" + text, path: "lakegate.yaml")
        #expect(governed.environments[0].gates.policySet == "dev")
        #expect(governed.governance?.path == "policies" && governed.governance?.ref == "main")
    }

    @Test func invalidYAMLIsReportedWithItsPosition() {
        let diagnostics = Self.diagnostics("environments:\n  dev: [unclosed\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location.path == "lakegate.yaml")
        #expect(diagnostics.first?.location.line ?? 0 >= 2)
        #expect(Self.diagnostics("").map(\.message) == ["file is empty"])
        #expect(Self.diagnostics("~\n").map(\.message) == ["file is empty"])
    }

    @Test func badValuesAreReported() {
        let text =
            Self.minimal
            .replacingOccurrences(of: "host: http://127.0.0.1:8000", with: "host: dev.example.com")
            .replacingOccurrences(of: "follows: branch", with: "follows: tags")
            + "\nlisten: localhost\npoll: {interval: 10 minutes}\n"
        let messages = Self.diagnostics(text).map(\.message)
        #expect(
            messages.contains(
                "environments.dev.workspace.host: expected a URL starting with https:// (or http:// for the emulator)"))
        #expect(messages.contains("environments.dev.follows: must be one of branch, releases, approvals, got 'tags'"))
        #expect(messages.contains("listen: expected host:port such as 0.0.0.0:8080, got 'localhost'"))
        #expect(messages.contains("poll.interval: expected a duration like 30s, 5m or 1h, got '10 minutes'"))
    }

    /// A signed or overflowing duration is a reported error, never a crash or a negative interval.
    @Test(arguments: ["99999999999999999h", "+5s", "-0s", "s", "5 s"])
    func durationsOutOfRangeAreReported(_ value: String) {
        let messages = Self.diagnostics(Self.minimal + "\npoll: {interval: \"\(value)\"}\n").map(\.message)
        #expect(messages.contains("poll.interval: expected a duration like 30s, 5m or 1h, got '\(value)'"))
    }

    /// Three environments over one workspace: dev on a branch, qa on releases, prod on approvals.
    static func promoted(qa: String = "policySet: none", prod: String = "policySet: none", prodExtra: String = "")
        -> String
    {
        """
        environments:
          dev:
            workspace: {host: "http://127.0.0.1:8000", credentials: {tokenEnv: T}}
            follows: branch
          qa:
            workspace: {host: "http://127.0.0.1:8000", credentials: {tokenEnv: T}}
            follows: releases
            gates: {\(qa)}
          prod:
            workspace: {host: "http://127.0.0.1:8000", credentials: {tokenEnv: T}}
            follows: approvals
            gates: {allowedSigners: /etc/lakegate/allowed_signers, \(prod)}\(prodExtra)
        products:
          - name: shop
            repo: file:///srv/git/shop.git
        """
    }

    @Test func governedEnvironmentsNameAPolicySetOrSayNone() throws {
        let missing = Self.diagnostics(Self.promoted(qa: "fourEyes: true"))
        #expect(
            missing.map(\.description) == [
                "lakegate.yaml:8:12: environments.qa.gates: missing required key 'policySet': name the policy set "
                    + "of this environment, or say 'policySet: none'"
            ])
        let config = try OperatorConfig.parse(Self.promoted(), path: "lakegate.yaml")
        #expect(config.environments.map(\.gates.policySet) == [nil, nil, nil])
    }

    @Test func promotionOrderDefaultsToTheEarlierReleaseEnvironmentsAndCanBeOverridden() throws {
        let config = try OperatorConfig.parse(Self.promoted(), path: "lakegate.yaml")
        #expect(config.environments.map(\.requires) == [[], [], ["qa"]])
        let none = try OperatorConfig.parse(Self.promoted(prodExtra: "\n    requires: []"), path: "lakegate.yaml")
        #expect(none.environment("prod")?.requires == [])
        let explicit = try OperatorConfig.parse(
            Self.promoted(prodExtra: "\n    requires: [dev, qa]"), path: "lakegate.yaml")
        #expect(explicit.environment("prod")?.requires == ["dev", "qa"])
        let bad = Self.diagnostics(Self.promoted(prodExtra: "\n    requires: [qa, staging, prod]"))
        #expect(
            bad.map(\.description) == [
                "lakegate.yaml:13:20: environments.prod.requires[1]: unknown environment 'staging' "
                    + "(defined: dev, qa, prod)",
                "lakegate.yaml:13:29: environments.prod.requires[2]: an environment cannot require itself",
            ])
    }

    @Test func requiredTrailersCoverTheRangeUnlessScopedToTheRelease() throws {
        let config = try OperatorConfig.parse(
            Self.promoted(
                qa: "policySet: none, requiredTrailers: [{key: Change-Request}, {key: Risk, scope: release}]"),
            path: "lakegate.yaml")
        #expect(config.environment("qa")?.gates.requiredTrailers.map(\.scope) == [.range, .release])
        let bad = Self.diagnostics(Self.promoted(qa: "policySet: none, requiredTrailers: [{key: Risk, scope: tip}]"))
        #expect(
            bad.map(\.message) == [
                "environments.qa.gates.requiredTrailers[0].scope: must be one of range, release, got 'tip'"
            ])
    }

    @Test func auditAPIAndLogLevelAreRead() throws {
        let config = try OperatorConfig.parse(
            Self.minimal
                + "\naudit: {signingKey: /etc/lakegate/audit/id_ed25519, checkpoints: {every: 5, file: /c/a.jsonl}}"
                + "\napi: {tokenFile: /etc/lakegate/api-token}\nlogLevel: debug\n",
            path: "lakegate.yaml")
        #expect(
            config.audit
                == .init(signingKey: "/etc/lakegate/audit/id_ed25519", checkpointEvery: 5, checkpointFile: "/c/a.jsonl")
        )
        #expect(config.api == .init(token: .file("/etc/lakegate/api-token")))
        #expect(config.logLevel == "debug")
        let defaults = try OperatorConfig.parse(Self.minimal, path: "lakegate.yaml")
        #expect(defaults.audit == nil && defaults.api == nil && defaults.logLevel == "info")
    }

    @Test func badAuditAPIAndLogLevelAreReported() {
        let messages = Self.diagnostics(
            Self.minimal + "\naudit: {checkpoints: {every: 0}}\napi: {token: hunter2}\nlogLevel: loud\n"
        ).map(\.message)
        #expect(messages.contains("audit: missing required key 'signingKey'"))
        #expect(messages.contains("audit.checkpoints.every: must be at least 1"))
        #expect(messages.contains("audit.checkpoints: missing required key 'file' or 'git'"))
        #expect(messages.contains { $0.hasPrefix("api: inline secrets are not allowed ('token')") })
        #expect(!messages.contains { $0.contains("hunter2") })
        #expect(
            messages.contains(
                "logLevel: unknown level 'loud'; one of trace, debug, info, notice, warning, error, critical"))
    }

    @Test func checkpointsCanGoToAGitRef() throws {
        let config = try OperatorConfig.parse(
            Self.minimal
                + "\naudit: {signingKey: /k, checkpoints: {git: {repo: 'git@git.example.com:audit/lakegate.git',"
                + " sshKeyFile: /etc/lakegate/audit/deploy_key}}}\n",
            path: "lakegate.yaml")
        #expect(
            config.audit?.checkpointGit
                == .init(
                    repo: "git@git.example.com:audit/lakegate.git", ref: "refs/lakegate/audit-checkpoints",
                    sshKeyFile: "/etc/lakegate/audit/deploy_key"))
        let messages = Self.diagnostics(
            Self.minimal + "\naudit: {signingKey: /k, checkpoints: {git: {repo: 'https://u:p@h/r.git', ref: main}}}\n"
        ).map(\.message)
        #expect(messages.contains("audit.checkpoints.git.ref: must start with refs/, got 'main'"))
        #expect(
            messages.contains { $0.hasPrefix("audit.checkpoints.git.repo: credentials in the URL are not allowed") })
    }
}
