import CEL
import LakegateCore
import Testing

@Suite struct CELProgramTests {
    @Test func syntaxErrorsCarryLineAndColumn() {
        #expect(throws: CELError.self) { try CELProgram.compile("1 +") }
        do {
            _ = try CELProgram.compile("a &&\n  b ) c")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 5)
            #expect(error.message.contains("')'"))
        }
    }

    @Test func evaluationErrorsArePositioned() {
        do {
            _ = try CELProgram.compile("x +\n 1 / 0").evaluate(["x": .int(1)])
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "division by zero")
            #expect(error.line == 2)
        }
    }

    @Test(arguments: [
        ("9223372036854775807 + 1", "int overflow"),
        ("{'a': 1}.b", "no such key"),
        ("undefined_name", "undeclared reference"),
        ("f_unknown(1)", "unknown function"),
        ("1 + 'a'", "no such overload"),
        ("-9223372036854775808 % -1", "overflow"),
    ])
    func errorsHaveClearMessages(_ source: String, _ fragment: String) throws {
        let program = try CELProgram.compile(source)
        #expect {
            try program.evaluate()
        } throws: { error in
            (error as? CELError)?.message.contains(fragment) == true
        }
    }

    @Test func errorsAreAbsorbedByLogicalOperatorsInEitherOrder() throws {
        #expect(try CELProgram.compile("1/0 == 1 || true").evaluate() == .bool(true))
        #expect(try CELProgram.compile("true || 1/0 == 1").evaluate() == .bool(true))
        #expect(try CELProgram.compile("1/0 == 1 && false").evaluate() == .bool(false))
        #expect(throws: CELError.self) { try CELProgram.compile("1/0 == 1 && true").evaluate() }
    }

    @Test func costLimitStopsRunawayExpressions() throws {
        let program = try CELProgram.compile(
            "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, a + b + c > 0)))"
        )
        #expect(try program.evaluate() == .bool(true))
        #expect {
            try program.evaluate(costLimit: 500)
        } throws: { error in
            (error as? CELError)?.message.contains("cost limit") == true
        }
    }

    @Test func jsonConversionKeepsIntsApartFromDoubles() throws {
        let json = try JSONValue(parsing: #"{"n": 3, "d": 2.5, "tags": ["a"], "owner": {"team": "x"}, "z": null}"#)
        let value = CELValue(json: json)
        let result = try CELProgram.compile(
            "type(v.n) == int && type(v.d) == double && v.tags[0] == 'a' && v.owner.team == 'x' && v.z == null"
        ).evaluate(["v": value])
        #expect(result == .bool(true))
        #expect(value.jsonValue == json)
        #expect(CELValue.bytes([1]).jsonValue == nil)
    }

    @Test func dottedVariablesResolveLongestPrefixFirst() throws {
        let bindings: [String: CELValue] = [
            "a.b": .map(try #require(CELValue(json: ["c": "short"]).mapValue)),
            "a.b.c": .string("long"),
        ]
        #expect(try CELProgram.compile("a.b.c").evaluate(bindings) == .string("long"))
    }

    @Test func mapKeysCompareNumbersByValue() throws {
        #expect(try CELProgram.compile("{1u: 'x'}[1] == 'x' && 3.0 in {3: 1}").evaluate() == .bool(true))
        #expect(throws: CELError.self) { try CELProgram.compile("{0: 1, 0u: 2}").evaluate() }
    }

    @Test func timeZonesAndFixedOffsets() throws {
        let source = """
            timestamp('2024-03-10T01:30:00Z').getHours('America/New_York') == 20 &&
            timestamp('2024-03-10T01:30:00Z').getHours('+05:30') == 7 &&
            timestamp('2024-03-10T01:30:00Z').getDayOfWeek() == 0
            """
        #expect(try CELProgram.compile(source).evaluate() == .bool(true))
    }

    @Test func taggedEncodingRoundTrips() throws {
        let value = try CELProgram.compile(
            "[1, 2u, -0.5, 'é', b'\\xff', {'k': [null, true]}, timestamp('2009-02-13T23:31:30.5Z'), duration('-1.5s'), type(1)]"
        ).evaluate()
        #expect(try CELValue(tagged: value.taggedJSON) == value)
        #expect(try CELProgram.compile(value.literal).evaluate() == value)
    }

    @Test func deepExpressionsEvaluateOrAreRejectedAtCompileTime() async throws {
        let chain = Array(repeating: "1", count: 240).joined(separator: " + ")
        let value = try await Task { try CELProgram.compile(chain).evaluate() }.value
        #expect(value == .int(240))
        let tooLong = Array(repeating: "1", count: 20000).joined(separator: " + ")
        #expect(throws: CELError.self) { try CELProgram.compile(tooLong) }
        let nested = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: CELError.self) { try CELProgram.compile(nested) }
    }

    @Test func cacheCompilesOncePerSource() throws {
        let cache = CELCache()
        for i in 0..<10 {
            #expect(try cache.evaluate("x * 2", ["x": .int(Int64(i))]) == .int(Int64(i * 2)))
        }
        #expect(cache.count == 1)
        #expect(throws: CELError.self) { try cache.program(for: "(") }
        #expect(cache.count == 1)
    }
}

extension CELValue {
    fileprivate var mapValue: CELMap? {
        if case .map(let m) = self { return m }
        return nil
    }
}
