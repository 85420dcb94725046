import Foundation
import MetricsTestKit
import OperatorConfig
import Store
import TestSupport
import Testing

@testable import Reconciler

/// The controller over real repositories (mirrored as `serve` mirrors them), signed tags, a temp store and the
/// emulator in this process: the gates of release environments and the backoff after failures.
@Suite("Controller outcomes, gates and backoff")
struct ControllerTests {
    func status(_ controller: Controller, _ target: String) async throws -> ProductStatus {
        let statuses = await controller.status()
        guard let status = statuses.first(where: { $0.target == target }) else {
            throw FixtureError("no status for \(target) in \(statuses.map(\.target))")
        }
        return status
    }

    /// Releases v1.0.0 and lets the controller apply it to qa; returns the controller and the writes so far.
    func releaseToQA(_ fixture: ReconcileFixture) async throws -> (Controller, Int) {
        try fixture.release("v1.0.0")
        let controller = try fixture.controller()
        await controller.pollOnce()
        let applied = try await status(controller, "qa")
        #expect(applied.outcome == .applied, "\(applied.message)")
        return (controller, try await fixture.writes())
    }

    @Test("waiting/quorum until a valid approval, then applied; the audit records the approver")
    func quorumWaitsThenApplies() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["prod"])
        try fixture.release("v1.0.0")
        let controller = try fixture.controller()
        await controller.pollOnce()
        let waiting = try await status(controller, "prod")
        #expect(waiting.outcome == .waiting, "\(waiting.message)")
        #expect(waiting.message.contains("quorum") && waiting.message.contains("0 of 1"), "\(waiting.message)")
        #expect(waiting.desiredRelease == "v1.0.0" && waiting.retryAt != nil)
        #expect(waiting.gates.contains { $0.name == "quorum" && !$0.passed })
        #expect(try await fixture.writes() == 0)

        try fixture.approve("alice", "v1.0.0")
        await controller.pollOnce()
        let applied = try await status(controller, "prod")
        #expect(applied.outcome == .applied, "\(applied.message)")
        #expect(applied.deployedRelease == "v1.0.0")
        let entry = try #require(try fixture.audit("prod").last)
        #expect(entry.outcome == "applied" && entry.release == "v1.0.0")
        #expect(entry.approvals.map(\.signer) == ["alice@example.com"])
        #expect(
            try fixture.metrics.expectCounter(
                "lakegate_reconciles_total", [("product", "customer-360"), ("target", "prod"), ("outcome", "waiting")]
            ).totalValue == 1)
        #expect(
            try fixture.metrics.expectCounter(
                "lakegate_reconciles_total", [("product", "customer-360"), ("target", "prod"), ("outcome", "applied")]
            ).totalValue == 1)
    }

    @Test("stalled/moved tag: a release tag that moved after it was seen is refused and nothing is written")
    func movedTagStalls() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["qa"])
        let (controller, writes) = try await releaseToQA(fixture)

        try fixture.edit("dataproduct.yaml", replacing: "id: customer-360", with: "id: customer-360\n# moved")
        try fixture.commit("After the release")
        try fixture.release("v1.0.0", force: true)
        await controller.pollOnce()
        let stalled = try await status(controller, "qa")
        #expect(stalled.outcome == .stalled, "\(stalled.message)")
        #expect(stalled.message.contains("moved"), "\(stalled.message)")
        #expect(try await fixture.writes() == writes)
    }

    @Test("stalled/policy: a consumer-breaking contract change is blocked by contract-integrity")
    func breakingContractStalls() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["qa"])
        let (controller, writes) = try await releaseToQA(fixture)

        try fixture.breakContract()
        try fixture.release("v1.1.0")
        await controller.pollOnce()
        let stalled = try await status(controller, "qa")
        #expect(stalled.outcome == .stalled, "\(stalled.message)")
        #expect(
            stalled.message.contains("contract-integrity") && stalled.message.contains("major not bumped"),
            "\(stalled.message)")
        #expect(stalled.desiredRelease == "v1.1.0" && stalled.deployedRelease == "v1.0.0")
        #expect(stalled.gates.contains { $0.name == "contract-integrity" && !$0.passed })
        #expect(try await fixture.writes() == writes)
    }

    @Test("stalled/policy set: blocking policies from the governance repository stall, audited once per cause")
    func policySetStalls() async throws {
        let fixture = try await ReconcileFixture(
            productEnvironments: ["qa"], releaseGates: "policySet: qa, blockingSeverity: warning", policySet: "qa")
        try fixture.release("v1.0.0")
        let controller = try fixture.controller()
        await controller.pollOnce()
        let applied = try await status(controller, "qa")
        #expect(applied.outcome == .applied, "\(applied.message)")
        #expect(applied.gates.contains { $0.name == "policy-set:qa" && $0.passed })
        let first = try #require(try fixture.audit("qa").last)
        #expect(first.governanceCommit != nil && first.policyReportDigest?.count == 64)

        try fixture.breakContract()
        try fixture.release("v1.1.0")
        let writes = try await fixture.writes()
        await controller.pollOnce()
        let stalled = try await status(controller, "qa")
        #expect(stalled.outcome == .stalled, "\(stalled.message)")
        #expect(stalled.message.contains("blocked by policy"), "\(stalled.message)")
        #expect(stalled.message.contains("contract.no-breaking-changes"), "\(stalled.message)")
        #expect(stalled.gates.contains { $0.name == "policy:contract.no-breaking-changes" && !$0.passed })
        #expect(stalled.deployedRelease == "v1.0.0")
        await controller.pollOnce()
        #expect(try await status(controller, "qa").outcome == .stalled)
        let audit = try fixture.audit("qa")
        #expect(audit.map(\.outcome) == ["applied", "stalled"], "the stall is audited once")
        #expect(audit.last?.release == "v1.1.0" && audit.last?.policyReportDigest != first.policyReportDigest)
        #expect(try await fixture.writes() == writes)
    }

    @Test("stalled/gate: a release commit without the required trailer")
    func missingTrailerStalls() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["qa"])
        try fixture.edit("dataproduct.yaml", replacing: "id: customer-360", with: "id: customer-360\n# edit")
        try fixture.commit("No change request", trailers: ["Reviewed-by: bob"])
        try fixture.release("v1.0.0")
        let controller = try fixture.controller()
        await controller.pollOnce()
        let stalled = try await status(controller, "qa")
        #expect(stalled.outcome == .stalled, "\(stalled.message)")
        #expect(stalled.message.contains("Change-Request"), "\(stalled.message)")
        #expect(try await fixture.writes() == 0)
    }

    @Test("failed: the backoff of lakegate.yaml grows per failure in a row and is skipped until it ends")
    func backoffGrowsPerConfig() async throws {
        let fixture = try await ReconcileFixture(
            environments: ["dev": "sync: {backoff: {initial: 1s, max: 2s}}"], productEnvironments: ["dev"])
        let controller = try fixture.controller(variables: [:])
        /// Polls once and checks the failure is retried `delay` seconds after it was recorded (the status has whole
        /// seconds, so within a second of the times around the poll).
        func pollFails(retryingAfter delay: Double) async throws {
            let before = Date()
            await controller.pollOnce()
            let after = Date()
            let status = try await status(controller, "dev")
            #expect(status.outcome == .failed)
            #expect(status.message == "credentials for dev: environment variable DEMO_TOKEN is not set")
            let retryAt = try #require(status.retryAt.flatMap(ISO8601DateFormatter().date(from:)))
            #expect(retryAt >= before.addingTimeInterval(delay - 1) && retryAt <= after.addingTimeInterval(delay))
        }
        func failures() throws -> Int64 {
            try fixture.metrics.expectCounter(
                "lakegate_reconciles_total", [("product", "customer-360"), ("target", "dev"), ("outcome", "failed")]
            ).totalValue
        }
        try await pollFails(retryingAfter: 1)
        await controller.pollOnce()
        #expect(try failures() == 1, "skipped while backing off")
        try await Task.sleep(for: .milliseconds(1100))
        try await pollFails(retryingAfter: 2)
        #expect(try failures() == 2)
    }

    @Test("failed/workspace error: a failed apply is audited, not deployed, and backs off per config")
    func failedApplyBacksOff() async throws {
        // A profile whose SQL warehouse does not exist: the REST creates succeed, the table statements fail.
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("lakegate-\(UUID()).databrickscfg")
        defer { try? FileManager.default.removeItem(at: profile) }
        try Data(
            """
            [dev]
            host = http://emulator.in-process
            token = \(InProcessEmulator.token)
            warehouse_id = 0000000000000000

            """.utf8
        ).write(to: profile)
        let fixture = try await ReconcileFixture(
            environments: ["dev": "sync: {backoff: {initial: 2s, max: 10s}}"], productEnvironments: ["dev"],
            devWorkspace: "{host: http://emulator.in-process, credentials: {profile: dev, configFile: \(profile.path)}}"
        )
        let controller = try fixture.controller()
        let before = Date()
        await controller.pollOnce()
        let after = Date()
        let failed = try await status(controller, "dev")
        #expect(failed.outcome == .failed)
        #expect(failed.message.contains("Apply failed: "), "\(failed.message)")
        #expect(failed.message.contains("0000000000000000"), "\(failed.message)")
        let retryAt = try #require(failed.retryAt.flatMap(ISO8601DateFormatter().date(from:)))
        #expect(retryAt >= before.addingTimeInterval(1) && retryAt <= after.addingTimeInterval(2))
        #expect(try fixture.audit("dev").map(\.outcome) == ["failed"])
        #expect(try fixture.deployment("dev") == nil)
        let attempts = try await fixture.emulator.requests().count
        await controller.pollOnce()
        #expect(try await fixture.emulator.requests().count == attempts, "not retried before the backoff ends")
    }

    @Test("backoff: initial, doubling, capped at max")
    func backoffDelays() {
        let backoff = OperatorConfig.Sync.Backoff(initial: .seconds(5), max: .seconds(60))
        #expect((1...6).map { backoff.delay(afterFailures: $0) } == [5, 10, 20, 40, 60, 60])
        #expect(backoff.delay(afterFailures: 10_000) == 60)
    }
}
