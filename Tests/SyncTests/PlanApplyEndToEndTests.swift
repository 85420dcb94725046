import Databricks
import Foundation
import LakegateCore
import Planner
import Sync
import TestSupport
import Testing

@Suite("Plan and apply against the emulator")
struct PlanApplyEndToEndTests {
    /// Applies customer-360 to an empty workspace and checks that it converged.
    func applyFromEmpty(_ bench: EmulatorBench) async throws -> (PlanSession, ApplyReport, Int) {
        let first = try await bench.session()
        let before = try await bench.requests().count
        let report = await first.apply()
        let after = try await bench.requests().count
        #expect(report.succeeded, "\(report.summary)")
        return (first, report, after - before)
    }

    @Test func applyToAnEmptyWorkspaceCreatesEverythingThenNothingChanges() async throws {
        let bench = try EmulatorBench()
        let first = try await bench.session()
        #expect(first.plan.actions.count == first.desired.resources.count)
        #expect(first.plan.actions.allSatisfy { $0.type == .create })
        let kinds = Set(first.desired.resources.map(\.kind))
        #expect(kinds.isSuperset(of: [.catalog, .schema, .function, .table]))

        let (_, report, applyRequests) = try await applyFromEmpty(bench)
        let resources = first.desired.resources.count
        print(
            "customer-360 from empty: \(resources) resources, \(report.operations) operations, "
                + "\(applyRequests) HTTP requests, "
                + String(format: "%.2f", Double(applyRequests) / Double(resources)) + " requests per resource")

        let logBefore = try await bench.requests().count
        let second = try await bench.session()
        let log = try await bench.requests()
        #expect(second.plan.actions.isEmpty, "\(PlanRenderer(colors: false).render(second.plan))")
        #expect(EmulatorRequestLog.writes(log.dropFirst(logBefore)).isEmpty)

        // The converged live state carries what the product asks for: comments, tags, grants and masks.
        let tables = first.desired.resources.filter { $0.kind == .table }
        let masked = tables.flatMap { $0.fields["columns"]?.arrayValue ?? [] }.filter { $0["mask"] != nil }
        #expect(!masked.isEmpty)
        for table in tables {
            let live = try #require(second.snapshot.resources[table.key])
            #expect(live.ownedMarker)
            let fields = Normalizer.normalize(live.fields, kind: .table)
            let wanted = Normalizer.normalize(table.fields, kind: .table)
            #expect(fields["comment"] == wanted["comment"])
            #expect(fields["tags"] == wanted["tags"])
            #expect(fields["grants"] == wanted["grants"])
            #expect(fields["columns"] == wanted["columns"])
        }
    }

    @Test func changingOneColumnDescriptionIsOneWritePerAffectedObject() async throws {
        let bench = try EmulatorBench()
        _ = try await applyFromEmpty(bench)
        try bench.edit(
            "contracts/customers.odcs.yaml", replacing: "description: Primary contact e-mail address.",
            with: "description: Main contact e-mail address.")
        let session = try await bench.session()
        // The table gets one statement; the Genie space, which serves the contract's column descriptions,
        // gets one PATCH. Nothing else changes.
        let actions = session.plan.actions
        #expect(actions.map(\.key) == ["tables.customers", "genie_spaces.customer_insights"])
        let table = try #require(actions.first)
        #expect(table.type == .update)
        #expect(table.changes.map(\.field) == ["columns.email.comment"])
        #expect(actions.allSatisfy { $0.operations.count == 1 })
        let before = try await bench.requests().count
        let report = try await bench.apply(session.plan) { _ in true }
        #expect(report.succeeded, "\(report.summary)")
        let writes = EmulatorRequestLog.writes(try await bench.requests().dropFirst(before))
        let tableWrites = writes.filter { $0["statement"] != nil }
        #expect(tableWrites.count == 1, "\(writes)")
        #expect(tableWrites.first?["statement"]?.stringValue?.contains("ALTER COLUMN `email` COMMENT") == true)
        #expect(writes.count == 2, "\(writes)")
        #expect(
            writes.filter { $0["method"] == "PATCH" && ($0["path"]?.stringValue ?? "").hasPrefix("/api/2.0/genie/") }
                .count == 1)
        #expect((try await bench.session()).plan.actions.isEmpty)
    }

    @Test func removingATableFromAContractRetainsIt() async throws {
        let bench = try EmulatorBench()
        let (first, _, _) = try await applyFromEmpty(bench)
        let addresses = try #require(first.desired.resources.first { $0.key == "tables.customer_addresses" })
        try bench.removeLines(
            "contracts/customers.odcs.yaml", from: "  - name: customer_addresses", until: "slaProperties:")
        try bench.removeLines("dataproduct.yaml", containing: "customer_addresses.")
        let session = try await bench.session()
        let retained = session.plan.actions.filter { $0.type == .retain }
        #expect(retained.map(\.key).contains("tables.customer_addresses"), "\(session.plan.actions.map(\.key))")
        #expect(!session.plan.actions.contains { $0.type == .delete })
        let report = await session.apply()
        #expect(report.succeeded, "\(report.summary)")
        #expect(try await bench.client.tableExists(addresses.name))
    }

    @Test func killedApplyConvergesWithoutDuplicates() async throws {
        let bench = try EmulatorBench()
        let lakegate = Paths.executable("lakegate").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lakegate)
        process.arguments = [
            "apply", "--target", "dev", "--state-dir", bench.state.path, "--auto-approve", "--host", bench.host,
            bench.product.path,
        ]
        // The apply SIGKILLs itself after 20 workspace operations: a crash at a known point, mid-apply.
        process.environment = [
            "DATABRICKS_TOKEN": "dev-token", "HOME": bench.directory.path,
            "LAKEGATE_FAILPOINT_KILL_AFTER_OPERATIONS": "20",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(process.terminationReason == .uncaughtSignal, "the apply finished before its failpoint")
        let writes = EmulatorRequestLog.writes(try await bench.requests()).count
        #expect(writes >= 20)

        let resumed = try await bench.session()
        #expect(resumed.plan.hasChanges)
        let report = await resumed.apply()
        #expect(report.succeeded, "\(report.summary)")
        let final = try await bench.session()
        #expect(final.plan.actions.isEmpty, "\(PlanRenderer(colors: false).render(final.plan))")

        let stats = try await bench.client.call("GET", "/_emulator/stats")["objects"]
        let desired = final.desired.resources
        #expect(stats?["jobs"]?.intValue == Int64(desired.filter { $0.kind == .job }.count))
        #expect(stats?["genie_spaces"]?.intValue == Int64(desired.filter { $0.kind == .genieSpace }.count))
        #expect(stats?["tables"]?.intValue == Int64(desired.filter { $0.kind == .table }.count))
    }
}

extension EmulatorBench {
    /// Removes every line of `path` containing `text`.
    func removeLines(_ path: String, containing text: String) throws {
        let url = product.appendingPathComponent(path)
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        try lines.filter { !$0.contains(text) }.joined(separator: "\n").write(
            to: url, atomically: true, encoding: .utf8)
    }
}
