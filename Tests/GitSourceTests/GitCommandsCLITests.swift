import Foundation
import TestSupport
import Testing

/// The `lakegate git trailers`, `lakegate git verify` and `lakegate gates` commands, run as the real binary.
@Suite("git commands (CLI)")
struct GitCommandsCLITests {
    static var lakegate: String { Paths.executable("lakegate").path }

    @Test("git trailers prints what git interpret-trailers --parse prints, as JSON")
    func trailers() throws {
        let fixture = try GitFixture()
        let repo = try fixture.makeRepository("cli")
        let message = "Title\n\nBody text.\n\nChange-Ticket: CHG-7\nReviewed-by: Ann\n  Other <ann@x>\n"
        try fixture.commit(repo, message: message)
        let result = try fixture.run(Self.lakegate, ["git", "trailers", "HEAD", "--repo", repo, "--output", "json"])
        let decoded = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]]
        #expect(
            decoded == [
                ["key": "Change-Ticket", "value": "CHG-7"], ["key": "Reviewed-by", "value": "Ann Other <ann@x>"],
            ])
        let git = try fixture.run("git", ["interpret-trailers", "--parse"], input: message).stdout
        let text = try fixture.run(Self.lakegate, ["git", "trailers", "HEAD", "--repo", repo]).stdout
        #expect(text == git)
        try fixture.commit(repo, message: "No trailers\n")
        let none = try fixture.run(Self.lakegate, ["git", "trailers", "HEAD", "--repo", repo]).stdout
        #expect(none == "", "no trailers print nothing, as git does")
        #expect(
            try fixture.run(Self.lakegate, ["git", "trailers", "HEAD", "--repo", repo, "--output", "json"]).stdout
                == "[]\n")
    }

    @Test("git verify: exit 0 valid, 3 unsigned, 1 error")
    func verify() throws {
        let fixture = try GitFixture()
        let repo = try fixture.makeRepository("cli")
        let key = try fixture.makeKey("rel")
        try fixture.tag(repo, "v1.0.0", key: key)
        try fixture.tag(repo, "v1.0.1")
        let allowed = try fixture.write("allowed", "rel@bank.example \(try fixture.publicKey(key))\n")
        let state = fixture.path("state")
        let good = try fixture.run(
            Self.lakegate,
            [
                "git", "verify", "v1.0.0", "--repo", repo, "--allowed-signers", allowed, "--state-dir", state,
                "--output", "json",
            ])
        let json = try JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any]
        #expect(json?["valid"] as? Bool == true)
        #expect(json?["type"] as? String == "tag")
        #expect(json?["principal"] as? String == "rel@bank.example")
        #expect((json?["fingerprint"] as? String)?.hasPrefix("SHA256:") == true)
        // One flat object: the ref, object and type beside the signature verdict's fields.
        #expect(
            Set(json?.keys.map { $0 } ?? [])
                == ["ref", "object", "type", "signed", "valid", "principal", "keyType", "fingerprint", "reason"])
        #expect(json?["ref"] as? String == "v1.0.0" && json?["signed"] as? Bool == true)
        #expect(json?["object"] as? String == (try fixture.git(repo, "rev-parse", "v1.0.0")))
        let unsigned = try fixture.run(
            Self.lakegate,
            ["git", "verify", "v1.0.1", "--repo", repo, "--allowed-signers", allowed, "--state-dir", state],
            allowFailure: true)
        #expect(unsigned.status == 3)
        let commit = try fixture.run(
            Self.lakegate,
            ["git", "verify", "HEAD", "--repo", repo, "--allowed-signers", allowed, "--state-dir", state],
            allowFailure: true)
        #expect(commit.status == 3)
        #expect(commit.stdout.contains("commit"))
        let missing = try fixture.run(
            Self.lakegate, ["git", "verify", "v1.0.0", "--repo", repo, "--allowed-signers", fixture.path("nope")],
            allowFailure: true)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read allowed signers file"))
    }

    @Test("gates: config gives the policy, flags override it, exit 3 when blocked")
    func gates() throws {
        let scenario = try GateScenario()
        // A real product in the monorepo (the contract gate reads it), released as dp/orders/v1.2.0.
        try FileManager.default.copyItem(
            at: Paths.example("customer-360"), to: URL(fileURLWithPath: scenario.repo + "/product"))
        try scenario.fixture.git(scenario.repo, "add", "-A")
        try scenario.fixture.git(scenario.repo, "commit", "-q", "-m", "The product", "-m", "Change-Ticket: CHG-43")
        try scenario.fixture.tag(scenario.repo, "dp/orders/v1.2.0", key: scenario.keys["rel"])
        try scenario.fixture.tag(
            scenario.repo, "approval/prod/dp/orders/v1.2.0/alice", target: "dp/orders/v1.2.0",
            key: scenario.keys["alice"])
        func config(_ name: String, gates: String) throws -> String {
            try scenario.fixture.write(
                name,
                """
                stateDir: \(scenario.fixture.path("cli-state"))
                environments:
                  prod:
                    workspace: {host: "http://127.0.0.1:9", credentials: {tokenEnv: NO_TOKEN}}
                    follows: approvals
                    gates:
                      policySet: none
                      requireSignedRelease: true
                      allowedSigners: \(scenario.allowed)
                \(gates)
                products:
                  - {name: orders, repo: \(scenario.repo), path: product, releaseTagPrefix: dp/orders/v}
                """)
        }
        let good = try config(
            "lakegate.yaml",
            gates: "      quorum: 1\n      requiredTrailers: [{key: Change-Ticket, pattern: \"CHG-[0-9]+\"}]")
        let base = ["gates", "--product", "orders", "--target", "prod"]
        let pass = try scenario.fixture.run(Self.lakegate, base + ["--config", good, "--output", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(pass.stdout.utf8)) as? [String: Any]
        #expect(json?["release"] as? String == "dp/orders/v1.2.0")
        #expect(json?["decision"] as? String == "proceed", "\(pass.stdout)")
        #expect((json?["quorum"] as? [String: Int]) == ["required": 1, "valid": 1])
        let strict = try config(
            "strict.yaml", gates: "      quorum: 2\n      requiredTrailers: [{key: Risk, pattern: low}]")
        let blocked = try scenario.fixture.run(
            Self.lakegate, base + ["--config", strict, "--ref", "dp/orders/v1.2.0"], allowFailure: true)
        #expect(blocked.status == 3)
        #expect(blocked.stdout.contains("FAIL  quorum"))
        #expect(blocked.stdout.contains("FAIL  trailer:Risk"))
        let bad = try config("bad.yaml", gates: "      quorum: many")
        let refused = try scenario.fixture.run(Self.lakegate, base + ["--config", bad], allowFailure: true)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("bad.yaml:10:15: environments.prod.gates.quorum"), "\(refused.stderr)")
    }
}
