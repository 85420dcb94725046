import Foundation
import TestSupport
import Testing

@Suite("lakegate plan / apply")
struct PlanApplyCommandTests {
    struct Setup {
        let emulator: EmulatorProcess
        let directory: TemporaryDirectory
        let product: String
        let state: String

        init() throws {
            emulator = try EmulatorProcess.start()
            directory = try TemporaryDirectory(prefix: "lakegate-cli-apply")
            product = directory.url.appendingPathComponent("customer-360").path
            state = directory.url.appendingPathComponent("state").path
            try FileManager.default.copyItem(atPath: Paths.example("customer-360").path, toPath: product)
        }

        func run(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run(
                Paths.executable("lakegate").path,
                arguments + ["--state-dir", state, "--host", emulator.baseURL.absoluteString, product],
                environment: ["DATABRICKS_TOKEN": "dev-token", "HOME": directory.path, "PATH": "/usr/bin:/bin"])
        }

        func stop() {
            emulator.stop()
            directory.remove()
        }
    }

    @Test func planExitCodesJSONAndApplyRefusalWithoutATerminal() throws {
        let setup = try Setup()
        defer { setup.stop() }

        let detailed = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(detailed.status == 2, "\(detailed.stderr)")
        #expect(detailed.stdout.contains("will be created"))
        #expect(detailed.stdout.contains("Plan: "))
        #expect(!detailed.stdout.contains("\u{1B}["), "no colours when not on a terminal")

        let json = try setup.run(["plan", "--target", "dev", "--output", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["target"] as? String == "dev")
        #expect((object?["digest"] as? String)?.hasPrefix("sha256:") == true)
        let summary = object?["summary"] as? [String: Any]
        #expect((summary?["create"] as? Int ?? 0) > 0)
        let actions = object?["actions"] as? [[String: Any]] ?? []
        #expect(actions.allSatisfy { ["action", "kind", "key", "name", "changes"].allSatisfy($0.keys.contains) })

        let refused = try setup.run(["apply", "--target", "dev"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--auto-approve"))
        let stillPlanned = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(stillPlanned.status == 2, "nothing was applied")

        let applied = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        #expect(applied.stdout.contains("Apply complete:"))
        let clean = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.stdout.hasPrefix("No changes."))
    }

    @Test func badProductIsAnErrorWithExitOne() throws {
        let setup = try Setup()
        defer { setup.stop() }
        try "bundle: [not a map".write(
            toFile: setup.product + "/databricks.yml", atomically: true, encoding: .utf8)
        let result = try setup.run(["plan", "--target", "dev"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("databricks.yml"))
    }
}
