import Databricks
import Foundation
import LakegateCore
import Logging
import Planner
import Store
import Sync
import TestSupport

/// A running emulator, a copy of Examples/customer-360 and a state directory, for end-to-end tests.
final class EmulatorBench: Sendable {
    let emulator: EmulatorProcess
    let directory: TemporaryDirectory
    let product: URL
    let state: URL
    let client: DatabricksClient

    init(latencyMilliseconds: Int = 0) throws {
        emulator = try EmulatorProcess.start(arguments: ["--latency-ms", String(latencyMilliseconds)])
        directory = try TemporaryDirectory(prefix: "lakegate-apply")
        product = directory.url.appendingPathComponent("customer-360")
        state = directory.url.appendingPathComponent("state")
        try FileManager.default.copyItem(at: Paths.example("customer-360"), to: product)
        client = try DatabricksClient(
            config: Self.config(host: emulator.baseURL.absoluteString.trimmingSuffix("/"), home: directory.path),
            logger: Logger(label: "test"))
    }

    deinit {
        emulator.stop()
        directory.remove()
    }

    var host: String { emulator.baseURL.absoluteString.trimmingSuffix("/") }

    var config: DatabricksConfig { Self.config(host: host, home: directory.path) }

    /// Only these values: no environment, no ~/.databrickscfg.
    static func config(host: String, home: String) -> DatabricksConfig {
        (try? DatabricksConfig.resolve(
            explicit: ["host": host, "token": "dev-token"], environment: [:], homeDirectory: home))
            ?? DatabricksConfig(values: ["host": host, "token": "dev-token"])
    }

    func session(rules: PlanRules = PlanRules()) async throws -> PlanSession {
        try await PlanSession.make(
            productDirectory: product, target: "dev", stateDirectory: state, config: config, rules: rules,
            logger: Logger(label: "test"))
    }

    /// Applies only the actions of `plan` that pass `include`, with the real performer.
    func apply(_ plan: Plan, including include: (PlanAction) -> Bool) async throws -> ApplyReport {
        let filtered = Plan(
            product: plan.product, target: plan.target, actions: plan.actions.filter(include), forget: plan.forget)
        let performer = DatabricksPerformer(
            client: client, warehouseID: "a1b2c3d4e5f60001", source: DirectoryFileSource(root: product),
            product: plan.product, target: plan.target)
        return await PlanExecutor(performer: performer, inventory: try InventoryStore(stateDirectory: state))
            .execute(filtered)
    }

    /// Every request the emulator logged so far.
    func requests() async throws -> [JSONValue] {
        try await client.call("GET", "/_emulator/requests")["requests"]?.arrayValue ?? []
    }

    /// Replaces `old` with `new` in the product file at `path`; fails when `old` is missing.
    func edit(_ path: String, replacing old: String, with new: String) throws {
        let url = product.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        guard text.contains(old) else { throw ApplyError("\(path) does not contain \(old)") }
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    /// Removes the lines of `path` from the first line starting with `from` up to (not including) the first
    /// later line starting with `until`; and every line containing one of `alsoRemoving`.
    func removeLines(_ path: String, from: String, until: String) throws {
        let url = product.appendingPathComponent(path)
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix(from) }),
            let end = lines[(start + 1)...].firstIndex(where: { $0.hasPrefix(until) })
        else { throw ApplyError("\(path) has no block \(from) … \(until)") }
        lines.removeSubrange(start..<end)
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
