import Databricks
import Foundation
import LakegateCore
import Logging
import MetricsTestKit
import OperatorConfig
import Store
import Sync
import TestSupport

@testable import Reconciler

/// A product repository (bare, with a team clone holding Examples/customer-360), signing keys, a state store and a
/// workspace (the emulator, in this process), with an operator config over them: what the reconcile tests drive.
final class ReconcileFixture: Sendable {
    let scratch: GitScratch
    let emulator: InProcessEmulator
    let store: StateStore
    let metrics: TestMetrics
    /// Extra text for each environment's mapping, by environment name, and for the top level of the config.
    let environments: [String: String]
    let topLevel: String
    /// The environments the product is promoted through (all when empty).
    let productEnvironments: [String]

    /// Environments in promotion order: `dev` follows main, `qa` releases, `prod` approvals (quorum 1).
    /// Extra text inside the `gates` mapping of qa and prod.
    let releaseGates: String
    /// The `workspace` mapping of dev, when not the emulator with a token.
    let devWorkspace: String?
    /// Extra text inside the `gates` mapping of prod only (`bindPlan: true`).
    let prodGates: String

    init(
        environments: [String: String] = [:], topLevel: String = "", productEnvironments: [String] = [],
        releaseGates: String = "", policySet: String? = nil, devWorkspace: String? = nil, prodGates: String = ""
    ) async throws {
        self.releaseGates = releaseGates
        self.prodGates = prodGates
        self.devWorkspace = devWorkspace
        let scratch = try GitScratch(
            prefix: "lakegate-reconcile", authorName: "Data Team", authorEmail: "team@example.com")
        self.scratch = scratch
        self.environments = environments
        // With a policy set, a governance repository holding Examples/policies under that name.
        self.topLevel = try policySet.map { try Self.governance(set: $0, in: scratch) + "\n" + topLevel } ?? topLevel
        self.productEnvironments = productEnvironments
        emulator = try await InProcessEmulator()
        store = try StateStore(stateDirectory: scratch.path("state"))
        metrics = TestMetrics()
        try scratch.run("git", ["config", "--global", "init.defaultBranch", "main"])
        try scratch.run("git", ["config", "--global", "gpg.format", "ssh"])
        var signers = ""
        for who in ["release-manager", "alice"] {
            try FileManager.default.createDirectory(atPath: scratch.path("keys"), withIntermediateDirectories: true)
            try scratch.run(
                "ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", who, "-f", scratch.path("keys/\(who)")])
            let key = try String(contentsOfFile: scratch.path("keys/\(who).pub"), encoding: .utf8)
            signers +=
                "\(who)@example.com namespaces=\"git\" \(key.split(separator: " ").prefix(2).joined(separator: " "))\n"
        }
        try Data(signers.utf8).write(to: URL(fileURLWithPath: scratch.path("keys/allowed_signers")))
        try scratch.run("git", ["init", "-q", "--bare", scratch.path("product.git")])
        try scratch.run("git", ["clone", "-q", scratch.path("product.git"), team])
        try FileManager.default.removeItem(atPath: team + "/.git/hooks")
        for item in try FileManager.default.contentsOfDirectory(atPath: Paths.example("customer-360").path) {
            try FileManager.default.copyItem(
                at: Paths.example("customer-360").appendingPathComponent(item),
                to: URL(fileURLWithPath: team).appendingPathComponent(item))
        }
        try commit("First", trailers: ["Change-Request: CHG-1"])
    }

    var team: String { scratch.path("team") }

    /// The operator config text.
    var configText: String {
        let gates =
            "requiredTrailers: [{key: Change-Request, pattern: 'CHG-\\d+'}], "
            + "allowedSigners: \(scratch.path("keys/allowed_signers")), requireSignedRelease: true"
            + (releaseGates.isEmpty ? "" : ", \(releaseGates)")
            + (releaseGates.contains("policySet") ? "" : ", policySet: none")
        let workspace = "{host: \(emulator.transport.baseURL), credentials: {tokenEnv: DEMO_TOKEN}}"
        func extra(_ name: String) -> String { environments[name].map { ", \($0)" } ?? "" }
        let only = productEnvironments.isEmpty ? "" : ", environments: [\(productEnvironments.joined(separator: ", "))]"
        return """
            stateDir: \(scratch.path("state"))
            listen: 127.0.0.1:0
            poll: {interval: 1s, jitter: 0s}
            \(topLevel)
            environments:
              dev: {workspace: \(devWorkspace ?? workspace), follows: branch\(extra("dev"))}
              qa: {workspace: \(workspace), follows: releases, gates: {\(gates)}\(extra("qa"))}
              prod: {workspace: \(workspace), follows: approvals, gates: {\(gates), quorum: 1\(prodGates.isEmpty ? "" : ", " + prodGates)}, requires: []\(extra("prod"))}
            products:
              - {name: customer-360, repo: \(scratch.path("product.git"))\(only)}
            """
    }

    func config() throws -> OperatorConfig {
        try OperatorConfig.parse(configText, path: scratch.path("lakegate.yaml"))
    }

    /// The variables the controller resolves secrets from.
    static let variables = ["DEMO_TOKEN": InProcessEmulator.token]

    /// Clients over the in-process emulator's transport.
    var connector: WorkspaceConnector {
        let transport = emulator.transport
        return WorkspaceConnector { config, logger in
            try DatabricksClient(config: config, transport: transport, logger: logger)
        }
    }

    func controller(variables: [String: String] = ReconcileFixture.variables) throws -> Controller {
        try Controller(
            config: config(), store: store, metrics: ControllerMetrics(factory: metrics), logger: Self.logger,
            environment: variables, connector: connector)
    }

    /// A reconciler of customer-360 in `target`, reading the bare repository (as the controller reads its mirror);
    /// `name` is its name in lakegate.yaml (the dataproduct `id` is customer-360 whatever it is).
    func reconciler(_ target: String, databricks: DatabricksConfig? = nil, name: String = "customer-360") throws
        -> ProductReconciler
    {
        let config = try config()
        guard let environment = config.environment(target) else { throw FixtureError("no environment \(target)") }
        let controller = try controller()
        var product = config.products[0]
        product.name = name
        return ProductReconciler(
            product: product, environment: environment, mirrorPath: scratch.path("product.git"),
            repositoryKey: config.products[0].repo, store: store,
            databricks: try databricks ?? controller.databricksConfig(for: environment), logger: Self.logger,
            metrics: ControllerMetrics(factory: metrics), pollInterval: config.poll.interval, connector: connector)
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    // MARK: Git

    @discardableResult
    func git(_ arguments: String..., in directory: String? = nil) throws -> String {
        try scratch.run("git", ["-C", directory ?? team] + arguments).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    /// Commits everything in the team clone and pushes main.
    func commit(_ message: String, trailers: [String] = ["Change-Request: CHG-2"]) throws {
        try git("add", "-A")
        try git("commit", "-q", "-m", message, "-m", trailers.joined(separator: "\n"))
        try git("push", "-q", "origin", "main")
    }

    /// Replaces `old` by `new` in a file of the team clone.
    func edit(_ file: String, replacing old: String, with new: String) throws {
        let url = URL(fileURLWithPath: team).appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        guard text.contains(old) else { throw FixtureError("\(file) does not contain \(old)") }
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    func sign(_ who: String, _ arguments: [String]) throws {
        try scratch.run(
            "git",
            [
                "-C", team, "-c", "user.signingkey=\(scratch.path("keys/\(who)"))", "-c",
                "user.email=\(who)@example.com",
                "-c", "user.name=\(who)",
            ] + arguments)
    }

    /// A signed release tag, pushed (moved with `force`).
    func release(_ version: String, force: Bool = false) throws {
        let forced = force ? ["-f"] : []
        try sign("release-manager", ["tag", "-s"] + forced + ["-m", "Release \(version)", version])
        try scratch.run("git", ["-C", team, "push", "-q"] + (force ? ["--force"] : []) + ["origin", version])
    }

    /// A signed approval of `version` for `target` by `who`, pushed; `suffix` names a re-approval, `trailers`
    /// end its message (`Approved-Plan: …`).
    func approve(
        _ who: String, _ version: String, target: String = "prod", suffix: String = "", trailers: [String] = []
    ) throws {
        let object = try git("rev-parse", "refs/tags/\(version)")
        let name = "approval/\(target)/\(version)/\(who)\(suffix)"
        let message = "approve \(version)" + (trailers.isEmpty ? "" : "\n\n" + trailers.joined(separator: "\n"))
        try sign(who, ["tag", "-s", "-m", message, name, object])
        try git("push", "-q", "origin", name)
    }

    /// A bare governance repository `governance.git` with Examples/policies as policy set `name`; returns the
    /// `governance:` line for the config's top level. Runs before the fixture's git configuration exists, so it
    /// names its branch itself.
    static func governance(set name: String, in scratch: GitScratch) throws -> String {
        let work = scratch.path("governance")
        try scratch.run("git", ["init", "-q", "--bare", "--initial-branch=main", scratch.path("governance.git")])
        try scratch.run("git", ["clone", "-q", scratch.path("governance.git"), work])
        try scratch.run("git", ["-C", work, "checkout", "-q", "-b", "main"])
        try FileManager.default.createDirectory(atPath: work + "/policies", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Paths.packageRoot.appendingPathComponent("Examples/policies"),
            to: URL(fileURLWithPath: work + "/policies/\(name)"))
        for arguments in [["add", "-A"], ["commit", "-q", "-m", "Policy sets"], ["push", "-q", "origin", "main"]] {
            try scratch.run("git", ["-C", work] + arguments)
        }
        return "governance: {repo: \(scratch.path("governance.git")), ref: main, path: policies}"
    }

    // MARK: Reading results

    func audit(_ target: String) throws -> [AuditEntry] {
        try store.auditEntries(product: "customer-360", target: target)
    }

    func deployment(_ target: String) throws -> Deployment? {
        try store.deployment(product: "customer-360", target: target)
    }

    /// Workspace-changing requests the emulator logged so far: every non-GET API call except SQL reads and
    /// token requests.
    func writes() async throws -> Int {
        EmulatorRequestLog.writes(try await emulator.requests()).count
    }

    /// A consumer-breaking change that still renders: a column renamed (and its column mask with it), committed.
    func breakContract() throws {
        try edit("contracts/customers.odcs.yaml", replacing: "name: phone\n", with: "name: phone_number\n")
        try edit("dataproduct.yaml", replacing: "- customers.phone\n", with: "- customers.phone_number\n")
        try commit("Rename phone", trailers: ["Change-Request: CHG-7"])
    }

    /// Changes the workspace behind Lakegate's back, as a person in the workspace UI would.
    func editInWorkspace(_ method: String, _ path: String, body: JSONValue) async throws {
        _ = try await emulator.client().call(method, path, body: body)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
