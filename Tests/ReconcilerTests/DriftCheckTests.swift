import Foundation
import LakegateCore
import MetricsTestKit
import OperatorConfig
import TestSupport
import Testing

@testable import Reconciler

/// The two clocks of `serve` over the in-process emulator: the git poll reconciles a new revision at once; the
/// drift check reads the workspace's change log (`system.access.audit`) and only the products it names are read
/// again. Every request the controller makes is counted from the emulator's own request log.
@Suite("Drift checks from the workspace's change log")
struct DriftCheckTests {
    func status(_ controller: Controller, _ target: String) async throws -> ProductStatus {
        let statuses = await controller.status()
        guard let status = statuses.first(where: { $0.target == target }) else {
            throw FixtureError("no status for \(target) in \(statuses.map(\.target))")
        }
        return status
    }

    /// The requests `body` made the emulator log, as `METHOD path` (with the statement of a SQL call).
    func requests(_ fixture: ReconcileFixture, during body: () async throws -> Void) async throws -> [String] {
        let before = try await fixture.emulator.requests().count
        try await body()
        return try await fixture.emulator.requests().dropFirst(before).map { request in
            let line = "\(request["method"]?.stringValue ?? "") \(request["path"]?.stringValue ?? "")"
            return request["statement"]?.stringValue.map { line + " " + $0 } ?? line
        }
    }

    func liveReads(_ fixture: ReconcileFixture, skipped: Bool) -> Int64 {
        (try? fixture.metrics.expectCounter(
            "lakegate_live_reads_total", [("read", skipped ? "skipped" : "full")]
        ).totalValue) ?? 0
    }

    @Test("between drift checks an unchanged revision costs no workspace request; a new revision reconciles at once")
    func unchangedRevisionIsNotRead() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["dev"])
        let controller = try fixture.controller()
        await controller.pollOnce()
        #expect(try await status(controller, "dev").outcome == .applied)

        for _ in 0..<3 {
            let quiet = try await requests(fixture) { await controller.pollOnce() }
            #expect(quiet.isEmpty, "no workspace request before sync.driftInterval (10m) ran out: \(quiet)")
            let dev = try await status(controller, "dev")
            #expect(dev.outcome == .noChange && dev.drift == 0, "\(dev.message)")
            #expect(dev.message.hasPrefix("in sync with "), "\(dev.message)")
        }
        #expect(liveReads(fixture, skipped: true) == 3)

        // A new commit on main: reconciled in the very next pass, without waiting for a drift check.
        try fixture.edit(
            "resources/storage.yml", replacing: "Curated customer master data", with: "Checked customer master data")
        try fixture.commit("Describe the product better")
        let applied = try await requests(fixture) { await controller.pollOnce() }
        let dev = try await status(controller, "dev")
        #expect(dev.outcome == .applied || dev.outcome == .noChange, "\(dev.message)")
        #expect(dev.deployedCommit == (try fixture.git("rev-parse", "HEAD")))
        #expect(!applied.isEmpty, "the new revision was read and planned")
        #expect(liveReads(fixture, skipped: false) == 2)
    }

    @Test("an out-of-band change found in the audit log re-reads only the owning product: reverted or reported")
    func changeLogNamesTheProductToReread() async throws {
        let fixture = try await ReconcileFixture(
            environments: ["dev": "sync: {driftInterval: 0s}", "qa": "sync: {driftInterval: 0s}"],
            productEnvironments: ["dev", "qa"])
        // dev and qa share this workspace: the recipient needs a name per environment, as the share has.
        try fixture.edit(
            "dataproduct.yaml", replacing: "- name: partner_insurance",
            with: "- name: partner_insurance_${bundle.target}")
        try fixture.commit("One recipient per environment")
        try fixture.release("v1.0.0")
        let controller = try fixture.controller()
        await controller.pollOnce()
        for target in ["dev", "qa"] {
            let first = try await status(controller, target)
            #expect(first.outcome == .applied, "\(target): \(first.message)")
        }

        // Lakegate's own writes are in the log: read again once, found in sync, and not again.
        let ownWrites = try await requests(fixture) { await controller.pollOnce() }
        #expect(ownWrites.contains { $0.contains("system.access.audit") })
        #expect(ownWrites.contains { $0.contains("c360_dev") } && ownWrites.contains { $0.contains("c360_qa") })
        #expect(try await status(controller, "dev").outcome == .noChange)
        #expect(try await status(controller, "qa").outcome == .noChange)
        let quiet = try await requests(fixture) { await controller.pollOnce() }
        #expect(quiet.count == 1 && quiet[0].contains("FROM system.access.audit"), "one audit query only: \(quiet)")

        // A change by hand in qa (self-heal on): only qa is read again, and reverted.
        try await fixture.editInWorkspace(
            "PATCH", "/api/2.1/unity-catalog/schemas/c360_qa.crm", body: ["comment": "changed by hand"])
        let healing = try await requests(fixture) { await controller.pollOnce() }
        let qa = try await status(controller, "qa")
        #expect(qa.outcome == .applied && qa.message.contains("1 to update"), "\(qa.message)")
        #expect(!healing.contains { $0.contains("c360_dev") }, "dev was not read: \(healing)")
        #expect(healing.contains { $0.hasPrefix("PATCH /api/2.1/unity-catalog/schemas/c360_qa.crm") })
        #expect(try await status(controller, "dev").outcome == .noChange)

        // A change by hand in dev (self-heal off): read again and reported, not reverted; still reported while
        // nothing else changes, without reading dev again.
        try await fixture.editInWorkspace(
            "PATCH", "/api/2.1/unity-catalog/catalogs/c360_dev", body: ["comment": "edited in the workspace"])
        let reporting = try await requests(fixture) { await controller.pollOnce() }
        let dev = try await status(controller, "dev")
        #expect(dev.outcome == .noChange && dev.drift == 1, "\(dev.message)")
        #expect(reporting.contains { $0.contains("c360_dev") })
        #expect(!reporting.contains { $0.hasPrefix("PATCH") }, "drift is not reverted where self-heal is off")
        _ = try await requests(fixture) { await controller.pollOnce() }  // qa's own revert, read once more
        let later = try await requests(fixture) { await controller.pollOnce() }
        #expect(later.count == 1, "\(later)")
        let still = try await status(controller, "dev")
        #expect(still.drift == 1 && still.message.contains("self-heal is off"), "\(still.message)")
    }

    @Test("an audit query that fails or is not permitted means a full read, never 'no drift'")
    func unreadableChangeLogReadsEverything() async throws {
        let fixture = try await ReconcileFixture(
            environments: ["dev": "sync: {driftInterval: 0s}"], productEnvironments: ["dev"])
        let controller = try fixture.controller()
        await controller.pollOnce()
        await controller.pollOnce()  // Lakegate's own writes, read again once
        #expect(try await requests(fixture) { await controller.pollOnce() }.count == 1)

        try await fixture.emulator.setFaults(["audit_log_denied": true])
        try await fixture.editInWorkspace(
            "PATCH", "/api/2.1/unity-catalog/catalogs/c360_dev", body: ["comment": "edited in the workspace"])
        let full = try await requests(fixture) { await controller.pollOnce() }
        #expect(full.contains { $0.contains("GET /api/2.1/unity-catalog/catalogs/c360_dev") }, "\(full)")
        let dev = try await status(controller, "dev")
        #expect(dev.outcome == .noChange && dev.drift == 1, "the full read found the drift: \(dev.message)")
        #expect(
            try fixture.metrics.expectCounter("lakegate_drift_checks_total", [("result", "audit_log_failed")])
                .totalValue == 1)
        // Still denied: every pass reads in full.
        let again = try await requests(fixture) { await controller.pollOnce() }
        #expect(again.contains { $0.contains("GET /api/2.1/unity-catalog/catalogs/c360_dev") }, "\(again)")
    }

    @Test("sync.resyncInterval: a full read even when the change log names nothing")
    func resyncReadsEverything() async throws {
        let fixture = try await ReconcileFixture(
            environments: ["dev": "sync: {driftInterval: 0s, resyncInterval: 1m}"], productEnvironments: ["dev"])
        let controller = try fixture.controller()
        await controller.pollOnce()
        await controller.pollOnce()
        let quiet = try await requests(fixture) { await controller.pollOnce() }
        #expect(quiet.count == 1, "\(quiet)")
        // The resync clock ran out (moved back rather than waiting a minute).
        await controller.moveClocks(by: -61)
        let full = try await requests(fixture) { await controller.pollOnce() }
        #expect(full.contains { $0.contains("GET /api/2.1/unity-catalog/catalogs/c360_dev") }, "\(full)")
        #expect(!full.contains { $0.contains("system.access.audit") }, "a resync needs no change log")
        #expect(
            try fixture.metrics.expectCounter("lakegate_drift_checks_total", [("result", "resync")]).totalValue == 1)
        #expect(try await requests(fixture) { await controller.pollOnce() }.count == 1, "then quiet again")
    }

    @Test("sync.auditLog: false: every drift check reads every product in full")
    func withoutTheChangeLogEveryCheckIsAFullRead() async throws {
        let fixture = try await ReconcileFixture(
            environments: ["dev": "sync: {driftInterval: 0s, auditLog: false}"], productEnvironments: ["dev"])
        let controller = try fixture.controller()
        await controller.pollOnce()
        for _ in 0..<2 {
            let pass = try await requests(fixture) { await controller.pollOnce() }
            #expect(pass.contains { $0.contains("GET /api/2.1/unity-catalog/catalogs/c360_dev") })
            #expect(!pass.contains { $0.contains("system.access.audit") })
        }
    }
}
