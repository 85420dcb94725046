import Foundation
import LakegateCore
import OperatorConfig
import TestSupport
import Testing

@testable import Reconciler

/// Within one pass the controller shares reads among the pairs of one workspace (``SharedReads``): counted from
/// the emulator's own request log over full reads (no change log), where every pair is read.
@Suite("Controller shares reads within a pass")
struct ControllerSharedReadsTests {
    func requests(_ fixture: ReconcileFixture, during body: () async throws -> Void) async throws -> [String] {
        let before = try await fixture.emulator.requests().count
        try await body()
        return try await fixture.emulator.requests().dropFirst(before).map { request in
            "\(request["method"]?.stringValue ?? "") \(request["path"]?.stringValue ?? "")"
        }
    }

    /// dev, qa and prod on one workspace, read in full every pass, with v1.0.0 released and approved. The three
    /// environments share the workspace, so the recipient gets a name per environment.
    func promotedFixture(topLevel: String = "") async throws -> ReconcileFixture {
        let full = "sync: {driftInterval: 0s, auditLog: false}"
        let fixture = try await ReconcileFixture(
            environments: ["dev": full, "qa": full, "prod": full], topLevel: topLevel)
        try fixture.edit(
            "dataproduct.yaml", replacing: "- name: partner_insurance",
            with: "- name: partner_insurance_${bundle.target}")
        try fixture.commit("One recipient per environment")
        try fixture.release("v1.0.0")
        try fixture.approve("alice", "v1.0.0")
        return fixture
    }

    @Test("a no-change pass over dev, qa and prod lists the warehouses once, each catalog still read")
    func warehousesListedOncePerPass() async throws {
        let fixture = try await promotedFixture()
        let controller = try fixture.controller()
        await controller.pollOnce()
        let statuses = await controller.status()
        #expect(statuses.count == 3 && statuses.allSatisfy { $0.outcome == .applied }, "\(statuses.map(\.message))")

        for _ in 0..<2 {
            let pass = try await requests(fixture) { await controller.pollOnce() }
            let after = await controller.status()
            #expect(after.allSatisfy { $0.outcome == .noChange }, "\(after.map(\.message))")
            // Without sharing, each of the three pairs lists the warehouses for its tag statements.
            #expect(pass.filter { $0 == "GET /api/2.0/sql/warehouses" }.count == 1, "\(pass)")
            for target in ["dev", "qa", "prod"] {
                #expect(pass.filter { $0 == "GET /api/2.1/unity-catalog/catalogs/c360_\(target)" }.count == 1)
            }
        }
    }

    @Test("an apply forgets what the pass had read: the pairs after it read the workspace again")
    func anApplyInvalidatesTheSharedReads() async throws {
        // One pair at a time, in the config's order: dev, then qa, then prod.
        let fixture = try await promotedFixture(topLevel: "concurrency: 1")
        let controller = try fixture.controller()
        await controller.pollOnce()
        let quiet = try await requests(fixture) { await controller.pollOnce() }
        #expect(quiet.filter { $0 == "GET /api/2.0/sql/warehouses" }.count == 1, "\(quiet)")

        // dev (following main) applies a new commit first; qa and prod are read after it, afresh, sharing again.
        try fixture.edit(
            "resources/storage.yml", replacing: "Curated customer master data", with: "Checked customer master data")
        try fixture.commit("Describe the product better")
        let pass = try await requests(fixture) { await controller.pollOnce() }
        let dev = await controller.status().first { $0.target == "dev" }
        #expect(dev?.outcome == .applied, "\(dev?.message ?? "no status")")
        #expect(pass.filter { $0 == "GET /api/2.0/sql/warehouses" }.count == 2, "\(pass)")
    }
}
