import Foundation
import Store
import TestSupport
import Testing

@Suite struct HoldCommandTests {
    static let lakegate = Paths.executable("lakegate").path
    /// The actor recorded: the operating-system user of the effective uid, whatever $USER or --who say.
    static let user = String(cString: getpwuid(geteuid())!.pointee.pw_name)

    @Test func holdAndUnholdChangeTheStore() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let held = try ProcessRunner.run(
            Self.lakegate,
            [
                "hold", "--target", "prod", "--product", "shop", "--reason", "incident 7", "--who", "bob",
                "--state-dir", dir.path,
            ])
        #expect(held.status == 0)
        #expect(held.stdout == "held prod/shop: incident 7 (note: on behalf of bob) (by \(Self.user))\n")
        let store = try StateStore(stateDirectory: dir.path)
        #expect(try store.activeHold(product: "shop", target: "prod")?.who == Self.user)
        #expect(try store.activeHold(product: "other", target: "prod") == nil)

        let wrongScope = try ProcessRunner.run(Self.lakegate, ["unhold", "--target", "prod", "--state-dir", dir.path])
        #expect(wrongScope.status == 1 && wrongScope.stdout == "no hold on prod\n")
        let released = try ProcessRunner.run(
            Self.lakegate,
            [
                "unhold", "--target", "prod", "--product", "shop", "--who", "dave", "--reason", "fixed",
                "--state-dir", dir.path,
            ])
        #expect(released.status == 0)
        #expect(try store.holds().isEmpty)

        // Both are in the audit log, with who and why, and the chain verifies.
        let history = try ProcessRunner.run(Self.lakegate, ["history", "--state-dir", dir.path])
        let lines = history.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(history.stdout)")
        #expect(lines[0].hasSuffix("NOTE"))
        #expect(
            lines[1].contains("shop") && lines[1].contains("hold")
                && lines[1].hasSuffix("by \(Self.user): incident 7 (note: on behalf of bob)"))
        #expect(lines[2].contains("unhold") && lines[2].hasSuffix("by \(Self.user): fixed (note: on behalf of dave)"))
        let verify = try ProcessRunner.run(Self.lakegate, ["history", "verify", "--state-dir", dir.path])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("ok: 2 entries"), "\(verify.stdout)")
    }

    @Test func aTargetWideHoldUsesTheStateDirFromTheEnvironment() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var environment = ProcessInfo.processInfo.environment
        environment["LAKEGATE_STATE_DIR"] = dir.path
        environment["USER"] = "carol"
        let held = try ProcessRunner.run(Self.lakegate, ["hold", "--target", "qa"], environment: environment)
        // $USER is not trusted: the actor is the OS user.
        #expect(held.status == 0 && held.stdout == "held qa: held by operator (by \(Self.user))\n")
        #expect(try StateStore(stateDirectory: dir.path).activeHold(product: "any", target: "qa")?.who == Self.user)
    }

    @Test func holdNeedsATarget() throws {
        let result = try ProcessRunner.run(Self.lakegate, ["hold"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--target"))
    }

    /// A scratch folder with an operator key listed for holds, a stranger's key, and a lakegate.yaml whose audit is
    /// signed with a controller key.
    static func signingScratch() throws -> GitScratch {
        let scratch = try GitScratch(prefix: "lakegate-hold", authorName: "Ops", authorEmail: "ops@example.com")
        for name in ["operator", "stranger", "controller"] {
            try scratch.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", scratch.path(name)])
        }
        let operatorKey = try String(contentsOfFile: scratch.path("operator.pub"), encoding: .utf8)
        try "ops@example.com namespaces=\"lakegate-hold\" \(operatorKey)".write(
            toFile: scratch.path("allowed_signers"), atomically: true, encoding: .utf8)
        try """
        stateDir: \(scratch.path("state"))
        audit: {signingKey: \(scratch.path("controller")), checkpoints: {file: \(scratch.path("checkpoints.jsonl"))}}
        environments:
          prod: {workspace: {host: http://127.0.0.1:1, credentials: {tokenEnv: T}}, follows: branch}
        products:
          - {name: shop, repo: /srv/git/shop.git}
        """.write(toFile: scratch.path("lakegate.yaml"), atomically: true, encoding: .utf8)
        return scratch
    }

    @Test func aSignedHoldNamesTheVerifiedSignerAndAStrangersKeyIsRefused() throws {
        let scratch = try Self.signingScratch()
        let common = [
            "--target", "prod", "--state-dir", scratch.path("state"), "--config", scratch.path("lakegate.yaml"),
            "--sign", "--allowed-signers", scratch.path("allowed_signers"),
        ]
        let refused = try ProcessRunner.run(
            Self.lakegate, ["hold"] + common + ["--sign-key", scratch.path("stranger")])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("the hold signature is refused"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: StateStore.databasePath(in: scratch.path("state"))))

        let held = try ProcessRunner.run(Self.lakegate, ["hold"] + common + ["--sign-key", scratch.path("operator")])
        #expect(held.status == 0, "\(held.stderr)")
        let store = try StateStore(stateDirectory: scratch.path("state"))
        let who = try #require(try store.activeHold(product: "any", target: "prod")?.who)
        #expect(who.hasPrefix("\(Self.user), signed by ops@example.com (SHA256:"), "\(who)")
        let entry = try #require(try store.auditEntries().last)
        #expect(entry.outcome == "hold" && entry.actor == who && entry.signature != nil)
        let verify = try ProcessRunner.run(
            Self.lakegate,
            ["history", "verify", "--state-dir", scratch.path("state"), "--config", scratch.path("lakegate.yaml")])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("ok: 1 entries"), "\(verify.stdout)")
        #expect(verify.stdout.contains("checkpoint at entry 1"))
    }

    @Test func anUnsignedHoldIsRefusedOnASignedLog() throws {
        let scratch = try Self.signingScratch()
        let state = scratch.path("state")
        let signed = try ProcessRunner.run(
            Self.lakegate,
            ["hold", "--target", "prod", "--state-dir", state, "--config", scratch.path("lakegate.yaml")])
        #expect(signed.status == 0, "\(signed.stderr)")
        // Without the configuration (no lakegate.yaml here, no audit key) the next entry would be unsigned:
        // refused, and nothing changes.
        let unsigned = try ProcessRunner.run(
            Self.lakegate, ["unhold", "--target", "prod", "--state-dir", state], cwd: URL(fileURLWithPath: state))
        #expect(unsigned.status != 0)
        #expect(
            unsigned.stderr.contains("the audit log is signed and no signing key is configured"), "\(unsigned.stderr)")
        #expect(try StateStore(stateDirectory: state).holds().count == 1)
    }
}
