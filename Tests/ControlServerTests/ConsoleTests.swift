import ControlServer
import Databricks
import Foundation
import Logging
import Metrics
import OperatorConfig
import Reconciler
import Store
import Sync
import TestSupport
import Testing

/// The console's product page over a real reconcile: customer-360 in a scratch git repository, the emulator in
/// this process, a state store in a temp folder. The plan a reconcile computed is kept with its field diff and
/// shown escaped and redacted, also after a restart.
@Suite("Console")
struct ConsoleTests {
    final class Fixture: Sendable {
        let scratch: GitScratch
        let emulator: InProcessEmulator

        init() async throws {
            scratch = try GitScratch(
                prefix: "lakegate-console", authorName: "Data Team", authorEmail: "team@example.com")
            emulator = try await InProcessEmulator()
            try scratch.run("git", ["init", "-q", "--bare", "--initial-branch=main", scratch.path("product.git")])
            try scratch.run("git", ["clone", "-q", scratch.path("product.git"), team])
            try git("checkout", "-q", "-b", "main")
            let example = Paths.example("customer-360")
            for item in try FileManager.default.contentsOfDirectory(atPath: example.path) {
                try FileManager.default.copyItem(
                    at: example.appendingPathComponent(item),
                    to: URL(fileURLWithPath: team).appendingPathComponent(item))
            }
            try commit("First")
        }

        var team: String { scratch.path("team") }

        @discardableResult
        func git(_ arguments: String...) throws -> String {
            try scratch.run("git", ["-C", team] + arguments).stdout
        }

        func commit(_ message: String) throws {
            try git("add", "-A")
            try git("commit", "-q", "-m", message)
            try git("push", "-q", "origin", "main")
        }

        func edit(_ file: String, replacing old: String, with new: String) throws {
            let url = URL(fileURLWithPath: team).appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            guard text.contains(old) else { throw CommandFailure("\(file) does not contain \(old)") }
            try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
        }

        func config(sync: String) throws -> OperatorConfig {
            let workspace = "{host: \(emulator.transport.baseURL), credentials: {tokenEnv: DEMO_TOKEN}}"
            return try OperatorConfig.parse(
                """
                stateDir: \(scratch.path("state"))
                listen: 127.0.0.1:0
                poll: {interval: 1s, jitter: 0s}
                environments:
                  dev: {workspace: \(workspace), follows: branch, sync: {mode: \(sync)}}
                products:
                  - {name: customer-360, repo: \(scratch.path("product.git"))}
                """, path: scratch.path("lakegate.yaml"))
        }

        /// A controller as `serve` starts it: a store opened on the state directory, the console over both.
        func serve(sync: String) throws -> (Controller, Console) {
            let store = try StateStore(stateDirectory: scratch.path("state"))
            let transport = emulator.transport
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let controller = Controller(
                config: try config(sync: sync), store: store,
                metrics: ControllerMetrics(factory: NOOPMetricsHandler.instance),
                logger: logger, environment: ["DEMO_TOKEN": InProcessEmulator.token],
                connector: WorkspaceConnector { config, logger in
                    try DatabricksClient(config: config, transport: transport, logger: logger)
                })
            return (controller, try Console(controller: controller, store: store))
        }
    }

    struct CommandFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test("a reconcile keeps its plan with the field diff; the product page shows it escaped and redacted")
    func lastPlanWithItsDiff() async throws {
        let fixture = try await Fixture()
        let (first, firstConsole) = try fixture.serve(sync: "auto")
        await first.pollOnce()
        #expect(await first.status().first?.outcome == .applied)
        let applied = try #require(try await firstConsole.page("/console/products/customer-360", user: nil))
        #expect(applied.contains("Last plan in dev"))
        #expect(applied.contains("+ catalog catalogs.c360 (c360_dev) will be created"), "\(applied)")
        #expect(applied.contains("result: succeeded"), "the apply's results are shown")

        // A change that waits for a manual sync: the comment of the catalog (with markup), a property named like a
        // credential, and the workspace token itself in the schema's comment.
        try fixture.edit(
            "resources/storage.yml", replacing: "comment: Customer 360 data product (${bundle.target})",
            with: "comment: Customer 360 <script>alert(1)</script> (${bundle.target})")
        try fixture.edit(
            "resources/storage.yml", replacing: "cost_center: CC-4711",
            with: "cost_center: CC-4711\n        api_token: tok-SECRET-4711")
        try fixture.edit(
            "resources/storage.yml", replacing: "comment: Curated customer master data",
            with: "comment: Curated with \(InProcessEmulator.token)")
        try fixture.commit("Retitle")
        let (second, _) = try fixture.serve(sync: "manual")
        await second.pollOnce()
        let status = try #require(await second.status().first)
        #expect(status.outcome == .waiting && status.message.hasPrefix("manual sync: "), "\(status.message)")

        // After a restart nothing is in memory: the page reads the kept plan.
        let (_, console) = try fixture.serve(sync: "manual")
        let page = try #require(try await console.page("/console/products/customer-360", user: nil))
        #expect(page.contains("~ catalog catalogs.c360 (c360_dev) will be updated in place"), "\(page)")
        #expect(page.contains("<code>comment</code>"))
        #expect(page.contains("&quot;Customer 360 data product (dev)&quot;"), "old value")
        #expect(page.contains("&quot;Customer 360 &lt;script&gt;alert(1)&lt;/script&gt; (dev)&quot;"), "new value")
        #expect(!page.contains("<script"), "no markup from the plan")
        #expect(page.contains("manual sync: Plan: "))
        #expect(page.contains("&lt;redacted&gt;"))
        #expect(!page.contains("tok-SECRET-4711"), "a credential-named property is redacted")
        #expect(!page.contains(InProcessEmulator.token), "the workspace token is masked")
        #expect(page.contains("As <code>lakegate plan</code> prints it"))
    }
}
