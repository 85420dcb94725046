import Foundation
import LakegateCore
import OperatorConfig
import Reconciler
import Testing

/// `environments.<name>.sync.backoff` in lakegate.yaml: defaults, values, and errors with their position.
@Suite struct SyncBackoffConfigTests {
    static func config(_ backoff: String?) -> String {
        """
        environments:
          dev:
            workspace: {host: http://127.0.0.1:8000, credentials: {tokenEnv: DATABRICKS_TOKEN}}
            follows: branch
        \(backoff.map { "    sync:\n      backoff: \($0)" } ?? "")
        products:
          - {name: shop, repo: file:///srv/git/shop.git}
        """
    }

    @Test func defaultsAreFiveSecondsToFiveMinutes() throws {
        let config = try OperatorConfig.parse(Self.config(nil), path: "lakegate.yaml")
        #expect(config.environment("dev")?.sync.backoff == .init(initial: .seconds(5), max: .seconds(300)))
    }

    @Test func valuesAreRead() throws {
        let config = try OperatorConfig.parse(Self.config("{initial: 10s, max: 1h}"), path: "lakegate.yaml")
        #expect(config.environment("dev")?.sync.backoff == .init(initial: .seconds(10), max: .seconds(3600)))
    }

    @Test(
        "bad values name path, line, column and field",
        arguments: [
            (
                "{initial: soon}",
                "lakegate.yaml:6:26: environments.dev.sync.backoff.initial: expected a duration like 30s, 5m or 1h, got 'soon'"
            ),
            ("{initial: 500ms}", "lakegate.yaml:6:26: environments.dev.sync.backoff.initial: must be at least 1s"),
            (
                "{initial: 10m, max: 1m}",
                "lakegate.yaml:6:16: environments.dev.sync.backoff: max must not be less than initial"
            ),
            (
                "{inital: 1s}",
                "lakegate.yaml:6:17: environments.dev.sync.backoff: unknown key 'inital'; did you mean 'initial'?"
            ),
        ])
    func badValuesAreReported(backoff: String, message: String) {
        do {
            _ = try OperatorConfig.parse(Self.config(backoff), path: "lakegate.yaml")
            Issue.record("expected diagnostics")
        } catch let error as DiagnosticList {
            #expect(error.diagnostics.map(\.description) == [message])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
