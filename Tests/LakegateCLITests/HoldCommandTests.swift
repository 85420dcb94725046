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
}
