import Foundation
import LakegateCore
import Store
import TestSupport
import Testing

@Suite struct HistoryCommandTests {
    static let lakegate = Paths.executable("lakegate").path

    /// A state directory with three audit entries written through the real store.
    static func seededStateDirectory() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let store = try StateStore(stateDirectory: dir.path)
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        for (index, (product, target)) in [("shop", "dev"), ("shop", "qa"), ("orders", "qa")].enumerated() {
            try store.appendAudit(
                AuditEntry(
                    product: product, target: target, release: target == "dev" ? nil : "v1.\(index).0",
                    commit: String(repeating: "\(index)", count: 40),
                    approvals: [.init(tag: "approval/qa/v1.\(index).0/ann", signer: "ann@example.com")],
                    actions: [
                        .init(kind: "create", resource: "schemas.s", result: "ok"),
                        .init(kind: "update", resource: "jobs.j", result: "failed: 500"),
                    ], outcome: "applied", startedAt: start, finishedAt: start + 2))
        }
        return dir
    }

    @Test func historyPrintsATableFilteredByProductAndTarget() throws {
        let dir = try Self.seededStateDirectory()
        defer { dir.remove() }
        let all = try ProcessRunner.run(Self.lakegate, ["history", "--state-dir", dir.path])
        #expect(all.status == 0)
        let lines = all.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("SEQ  FINISHED"))
        #expect(lines[1].contains("shop") && lines[1].contains("dev") && lines[1].contains("2 (1 failed)"))
        let filtered = try ProcessRunner.run(
            Self.lakegate, ["history", "--state-dir", dir.path, "--product", "shop", "--target", "qa"])
        #expect(filtered.stdout.split(separator: "\n").count == 2)
        #expect(filtered.stdout.contains("v1.1.0") && filtered.stdout.contains("ann@example.com"))
    }

    @Test func historyAsJSONCarriesTheHashes() throws {
        let dir = try Self.seededStateDirectory()
        defer { dir.remove() }
        let result = try ProcessRunner.run(
            Self.lakegate, ["history", "--state-dir", dir.path, "--target", "qa", "--output", "json"])
        #expect(result.status == 0)
        let json = try JSONValue(parsing: result.stdout)
        let entries = try #require(json.arrayValue)
        #expect(entries.map { $0["sequence"]?.intValue } == [2, 3])
        #expect(entries[1]["previousHash"] == entries[0]["hash"])
        #expect(entries[0]["approvals"]?.arrayValue?.first?["signer"] == "ann@example.com")
    }

    @Test func verifyPassesThenFailsOnATamperedRow() throws {
        let dir = try Self.seededStateDirectory()
        defer { dir.remove() }
        let ok = try ProcessRunner.run(Self.lakegate, ["history", "verify", "--state-dir", dir.path])
        #expect(ok.status == 0)
        #expect(ok.stdout.hasPrefix("ok: 3 entries, head "))
        let db = try SQLiteDatabase(path: StateStore.databasePath(in: dir.path))
        try db.execute("DROP TRIGGER audit_log_no_update")
        try db.query("UPDATE audit_log SET outcome = 'noChange' WHERE sequence = 2")
        let broken = try ProcessRunner.run(Self.lakegate, ["history", "verify", "--state-dir", dir.path])
        #expect(broken.status == 1)
        #expect(broken.stdout.hasPrefix("broken: audit entry 2: content does not match its hash"))
    }

    @Test func anEmptyStateDirectoryIsNotCreatedByReading() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let state = dir.url.appendingPathComponent("none").path
        let history = try ProcessRunner.run(Self.lakegate, ["history", "--state-dir", state])
        #expect(history.status == 0 && history.stdout.hasPrefix("no audit entries"))
        let verify = try ProcessRunner.run(Self.lakegate, ["history", "verify", "--state-dir", state])
        #expect(verify.status == 0)
        #expect(!FileManager.default.fileExists(atPath: state))
    }
}
