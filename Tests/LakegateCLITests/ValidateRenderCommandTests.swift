import Foundation
import TestSupport
import Testing

@Suite("lakegate validate and render")
struct ValidateRenderCommandTests {
    let lakegate = Paths.executable("lakegate").path

    @Test func validatesTheExampleProduct() throws {
        let result = try ProcessRunner.run(lakegate, ["validate", Paths.example("customer-360").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let one = try ProcessRunner.run(lakegate, ["validate", Paths.example("orders").path, "--target", "prod"])
        #expect(one.status == 0, "\(one.stderr)")
    }

    /// Every `Examples/invalid/<case>` exits 1 and names the file and line its README gives.
    @Test func everyInvalidCaseNamesItsFileAndLine() throws {
        let root = Paths.example("invalid")
        let cases = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        #expect(cases.count >= 15)
        for name in cases {
            let directory = root.appendingPathComponent(name)
            let readme = try String(contentsOf: directory.appendingPathComponent("README.md"), encoding: .utf8)
            let expected = try #require(
                readme.split(separator: "\n").first { $0.hasPrefix("Expected: ") }.map { String($0.dropFirst(10)) },
                "\(name)/README.md has no 'Expected: ' line")
            let result = try ProcessRunner.run(lakegate, ["validate", directory.path])
            #expect(result.status == 1, "\(name) exited \(result.status)")
            #expect(
                result.stderr.contains(expected.trimmingCharacters(in: CharacterSet(charactersIn: "`"))),
                "\(name): \(result.stderr)")
        }
    }

    @Test func rendersTheSameBytesTwice() throws {
        let path = Paths.example("customer-360").path
        let first = try ProcessRunner.run(lakegate, ["render", "--target", "qa", path])
        let second = try ProcessRunner.run(lakegate, ["render", "--target", "qa", path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.contains("\"digest\": \"sha256:"))
        let yaml = try ProcessRunner.run(lakegate, ["render", "--target", "qa", path, "--output", "yaml"])
        #expect(yaml.status == 0)
        #expect(yaml.stdout.hasPrefix("digest: \"sha256:"))
    }

    @Test func unknownTargetIsAnError() throws {
        let result = try ProcessRunner.run(
            lakegate, ["render", "--target", "prd", Paths.example("customer-360").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("databricks.yml:0:0: unknown target 'prd'; did you mean 'prod'?"))
    }
}
