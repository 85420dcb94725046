import CEL
import Foundation
import LakegateCore
import Testing

/// Runs every test of the cel-spec conformance corpus in `conformance/` (see its README.md).
@Suite struct CELConformanceTests {
    static let files = [
        "basic.json", "comparisons.json", "conversions.json", "fields.json", "fp_math.json", "integer_math.json",
        "lists.json", "logic.json", "macros.json", "macros2.json", "parse.json", "plumbing.json", "string.json",
        "timestamps.json", "string_ext.json", "math_ext.json",
    ]

    struct FileResult {
        var total = 0
        var failures: [String] = []
        var passed: Int { total - failures.count }
    }

    static func directory() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("conformance")
    }

    static func run(_ file: String) throws -> FileResult {
        let data = try Data(contentsOf: directory().appendingPathComponent(file))
        let document = try JSONValue(parsing: data)
        var result = FileResult()
        for test in document["tests"]?.arrayValue ?? [] {
            result.total += 1
            let id = test["id"]?.stringValue ?? "?"
            if let failure = check(test) { result.failures.append("\(id): \(failure)") }
        }
        return result
    }

    /// Nil when the test passes, otherwise why it failed.
    static func check(_ test: JSONValue) -> String? {
        let expr = test["expr"]?.stringValue ?? ""
        var bindings: [String: CELValue] = [:]
        do {
            for (name, tagged) in test["bindings"]?.objectValue ?? [:] {
                bindings[name] = try CELValue(tagged: tagged)
            }
        } catch {
            return "bad binding: \(error)"
        }
        let outcome: Result<CELValue, CELError>
        do {
            outcome = .success(try CELProgram.compile(expr).evaluate(bindings))
        } catch {
            outcome = .failure(error)
        }
        if test["expectError"]?.boolValue == true {
            if case .success(let v) = outcome { return "expected an error, got \(v.literal)" }
            return nil
        }
        guard let expectJSON = test["expect"], let expected = try? CELValue(tagged: expectJSON) else {
            return "test has no decodable expectation"
        }
        switch outcome {
        case .failure(let error): return "expected \(expected.literal), got error \(error)"
        case .success(let actual):
            return CELConformanceTests.matches(actual, expected)
                ? nil : "expected \(expected.literal), got \(actual.literal)"
        }
    }

    /// The corpus matching rules: same tag; ints and uints as integers, doubles numerically with NaN matching
    /// NaN; lists in order; maps regardless of order; timestamps and durations as instants and lengths.
    static func matches(_ actual: CELValue, _ expected: CELValue) -> Bool {
        switch (actual, expected) {
        case (.double(let a), .double(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { matches($0, $1) }
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in b.entries {
                guard let match = a.entries.first(where: { sameKey($0.key, key) }), matches(match.value, value) else {
                    return false
                }
            }
            return true
        default: return actual == expected
        }
    }

    static func sameKey(_ a: CELValue, _ b: CELValue) -> Bool {
        a.celType == b.celType && a.celEquals(b)
    }

    @Test(arguments: files)
    func conformanceFile(_ file: String) throws {
        let result = try CELConformanceTests.run(file)
        print("CEL conformance \(file): \(result.passed)/\(result.total)")
        for failure in result.failures { print("  FAIL \(file) \(failure)") }
        #expect(result.total > 0)
        #expect(result.failures.isEmpty, "\(result.failures.count) failures in \(file)")
    }

    @Test func conformanceTotal() throws {
        var passed = 0
        var total = 0
        for file in CELConformanceTests.files {
            let result = try CELConformanceTests.run(file)
            passed += result.passed
            total += result.total
        }
        print("CEL conformance: \(passed)/\(total)")
        #expect(total == 1538)
        #expect(passed == total)
    }
}
