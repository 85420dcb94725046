import Foundation
import LakegateCore
import OperatorConfig
import Testing

/// `environments.<name>.sync.driftInterval`, `resyncInterval`, `auditLog` and `auditDelay` in lakegate.yaml.
@Suite struct SyncDriftConfigTests {
    static func config(_ sync: String?) -> String {
        """
        environments:
          dev:
            workspace: {host: http://127.0.0.1:8000, credentials: {tokenEnv: DATABRICKS_TOKEN}}
            follows: branch
        \(sync.map { "    sync: \($0)" } ?? "")
        products:
          - {name: shop, repo: file:///srv/git/shop.git}
        """
    }

    @Test func defaults() throws {
        let sync = try #require(
            try OperatorConfig.parse(Self.config(nil), path: "lakegate.yaml").environment("dev")?.sync)
        #expect(sync.driftInterval == .seconds(600) && sync.resyncInterval == .seconds(21600))
        #expect(sync.auditLog && sync.auditDelay == .seconds(3600))
    }

    @Test func valuesAreRead() throws {
        let text = Self.config("{driftInterval: 0s, resyncInterval: 2h, auditLog: false, auditDelay: 15m}")
        let sync = try #require(try OperatorConfig.parse(text, path: "lakegate.yaml").environment("dev")?.sync)
        #expect(sync.driftInterval == .zero && sync.resyncInterval == .seconds(7200))
        #expect(!sync.auditLog && sync.auditDelay == .seconds(900))
    }

    @Test(
        "bad values name path, line, column and field",
        arguments: [
            (
                "{driftInterval: often}",
                "lakegate.yaml:5:27: environments.dev.sync.driftInterval: expected a duration like 30s, 5m or 1h, got 'often'"
            ),
            ("{resyncInterval: 30s}", "lakegate.yaml:5:28: environments.dev.sync.resyncInterval: must be at least 1m"),
            (
                "{driftInterval: 2h, resyncInterval: 1h}",
                "lakegate.yaml:5:47: environments.dev.sync.resyncInterval: must not be shorter than driftInterval"
            ),
        ])
    func badValuesAreReported(sync: String, message: String) {
        do {
            _ = try OperatorConfig.parse(Self.config(sync), path: "lakegate.yaml")
            Issue.record("expected diagnostics")
        } catch let error as DiagnosticList {
            #expect(error.diagnostics.map(\.description) == [message])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
