import Descriptors
import Foundation
import GitSource
import LakegateCore
import Lifecycle
import TestSupport

/// A product made from a blueprint in a fixture, with a release manager, two approvers and the team's own key.
struct LifecycleScenario {
    let fixture: LifecycleFixture
    let product: String
    let keys: [String: String]
    let allowedSigners: String
    static let policies = Paths.example("policies").path

    init(blueprint: String = "sql-output-port") throws {
        fixture = try LifecycleFixture()
        product = fixture.path("product")
        let source = DirectoryFileSource(root: Paths.example("blueprints/\(blueprint)"))
        let loaded = try Blueprint.load(from: source)
        let values = try ParameterValues.resolve(
            loaded, given: ["product_id": "sales-leads", "domain": "sales", "owner": "owner@bank.example"],
            prompter: nil)
        _ = try ProductInitializer(blueprint: loaded, values: values).run(
            into: URL(fileURLWithPath: product), environment: fixture.environment)
        var keys: [String: String] = [:]
        for who in ["release-manager", "alice", "team"] { keys[who] = try fixture.makeKey(who) }
        self.keys = keys
        allowedSigners = try fixture.allowedSigners([
            ("release-manager@bank.example", keys["release-manager"]!), ("alice@bank.example", keys["alice"]!),
            ("team@bank.example", keys["team"]!),
        ])
    }

    func releaser(_ version: String = "v0.1.0", sign: Bool = true) -> Releaser {
        Releaser(
            productPath: product, version: version, policies: Self.policies, key: sign ? keys["release-manager"] : nil,
            sign: sign, environment: fixture.environment)
    }

    func approver(_ who: String, release: String = "v0.1.0", target: String = "prod") -> Approver {
        Approver(
            productPath: product, release: release, target: target, key: keys[who], policies: Self.policies,
            allowedSigners: allowedSigners, environment: fixture.environment)
    }

    /// Commits every change in the product with `message`.
    func commit(_ message: String) throws {
        try fixture.git(product, "add", "-A")
        try fixture.git(product, "commit", "-q", "-m", message)
    }

    /// `git verify-tag` with the scenario's allowed signers; returns git's exit status and stderr.
    func gitVerifyTag(_ tag: String) throws -> ProcessResult {
        try fixture.run(
            "git", ["-C", product, "-c", "gpg.ssh.allowedSignersFile=\(allowedSigners)", "verify-tag", tag],
            allowFailure: true)
    }
}
