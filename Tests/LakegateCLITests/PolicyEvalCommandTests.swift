import Foundation
import TestSupport
import Testing

/// `lakegate policy eval` run as a real process.
@Suite struct PolicyEvalCommandTests {
    let lakegate = Paths.executable("lakegate").path

    @Test func evaluatesWithInputVariables() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = dir.url.appendingPathComponent("input.json")
        try Data(#"{"tables": [{"name": "a", "rows": 3}], "ratio": 1.0}"#.utf8).write(to: input)
        let result = try ProcessRunner.run(
            lakegate,
            ["policy", "eval", "tables.map(t, t.rows)[0] + 1 == 4 && type(ratio) == double", "--input", input.path])
        #expect(result.status == 0)
        #expect(result.stdout == "true\n")
    }

    @Test func printsTaggedJSON() throws {
        let result = try ProcessRunner.run(lakegate, ["policy", "eval", "[1u, 'x']", "--output", "json"])
        #expect(result.status == 0)
        #expect(result.stdout == #"{"list":[{"uint":"1"},{"string":"x"}]}"# + "\n")
    }

    @Test func errorsExitOneWithTheMessage() throws {
        let eval = try ProcessRunner.run(lakegate, ["policy", "eval", "1 / 0"])
        #expect(eval.status == 1)
        #expect(eval.stderr.contains("division by zero"))
        let parse = try ProcessRunner.run(lakegate, ["policy", "eval", "(1 + "])
        #expect(parse.status == 1)
        #expect(parse.stderr.contains("1:6"))
    }
}
