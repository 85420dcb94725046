import Foundation
import Store
import TestSupport
import Testing

@Suite struct HoldCommandTests {
    static let lakegate = Paths.executable("lakegate").path

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
        #expect(held.stdout == "held prod/shop: incident 7 (by bob)\n")
        let store = try StateStore(stateDirectory: dir.path)
        #expect(try store.activeHold(product: "shop", target: "prod")?.who == "bob")
        #expect(try store.activeHold(product: "other", target: "prod") == nil)

        let wrongScope = try ProcessRunner.run(Self.lakegate, ["unhold", "--target", "prod", "--state-dir", dir.path])
        #expect(wrongScope.status == 1 && wrongScope.stdout == "no hold on prod\n")
        let released = try ProcessRunner.run(
            Self.lakegate, ["unhold", "--target", "prod", "--product", "shop", "--state-dir", dir.path])
        #expect(released.status == 0)
        #expect(try store.holds().isEmpty)
    }

    @Test func aTargetWideHoldUsesTheStateDirFromTheEnvironment() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var environment = ProcessInfo.processInfo.environment
        environment["LAKEGATE_STATE_DIR"] = dir.path
        environment["USER"] = "carol"
        let held = try ProcessRunner.run(Self.lakegate, ["hold", "--target", "qa"], environment: environment)
        #expect(held.status == 0 && held.stdout == "held qa: held by operator (by carol)\n")
        #expect(try StateStore(stateDirectory: dir.path).activeHold(product: "any", target: "qa")?.who == "carol")
    }

    @Test func holdNeedsATarget() throws {
        let result = try ProcessRunner.run(Self.lakegate, ["hold"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--target"))
    }
}
