import Foundation
import TestSupport
import Testing

@Suite struct ConfigValidateCommandTests {
    static let lakegate = Paths.executable("lakegate").path

    @Test func theExampleValidates() throws {
        let example = Paths.packageRoot.appendingPathComponent("Examples/lakegate.yaml").path
        let result = try ProcessRunner.run(Self.lakegate, ["config", "validate", "--config", example])
        #expect(result.status == 0)
        #expect(result.stdout.contains("valid: 2 product(s), 3 environment(s) (dev, qa, prod ← qa)"))
    }

    @Test func errorsGoToStandardErrorWithPositions() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.url.appendingPathComponent("lakegate.yaml")
        try """
        environments:
          dev:
            follows: branch
            gatez: {}
            workspace:
              host: https://x.example.com
              credentials: {tokenEnv: T}
        products: []
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try ProcessRunner.run(Self.lakegate, ["config", "validate", "--config", file.path])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("\(file.path):4:5: environments.dev: unknown key 'gatez'; did you mean 'gates'?"))
        #expect(result.stderr.contains("1 error(s)"))
    }

    @Test func aMissingFileIsAnError() throws {
        let result = try ProcessRunner.run(
            Self.lakegate, ["config", "validate", "--config", "/nonexistent/lakegate.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/lakegate.yaml:0:0: cannot read the file"))
    }
}
