import Descriptors
import Foundation
import LakegateCore
import TestSupport
import Testing

/// Fields the ODCS v3.1 JSON schema enumerates are validated with file:line errors.
@Suite("ODCS enumerations")
struct ContractEnumerationTests {
    /// The diagnostics of `Examples/orders` with `old` replaced by `new` in its contract.
    func diagnostics(replacing old: String, with new: String) throws -> [String] {
        let copy = try ProductFixture.copy(example: "orders")
        defer { copy.remove() }
        try ProductFixture.edit(copy.url, "contracts/orders.odcs.yaml", old, new)
        return ProductFixture.diagnostics(copy.url)
    }

    @Test("a misspelt logicalType is an error once, with its line and a suggestion")
    func misspeltLogicalType() throws {
        let contract = try ProductFixture.read(Paths.example("orders"), "contracts/orders.odcs.yaml")
        let first = try #require(contract.range(of: "logicalType: string"))
        let line = contract[..<first.lowerBound].filter { $0 == "\n" }.count + 1
        let found = try diagnostics(replacing: "logicalType: string", with: "logicalType: strnig")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("contracts/orders.odcs.yaml:\(line):") == true, "\(found)")
        #expect(found.first?.contains("must be one of 'string', 'date'") == true)
        #expect(found.first?.contains("found 'strnig'; did you mean 'string'?") == true)
    }

    @Test("precision and scale are not ODCS v3.1 options: the error says to write physicalType decimal(p,s)")
    func precisionIsNotAnOption() throws {
        let found = try diagnostics(
            replacing: "logicalType: string", with: "logicalType: number\n        logicalTypeOptions: {precision: 4}")
        #expect(found.count == 1, "\(found)")
        #expect(
            found.first?.contains(
                "'precision' is not a logicalTypeOptions key of logicalType number in ODCS v3.1; write a decimal as "
                    + "physicalType: decimal(p,s)") == true, "\(found)")
    }

    @Test(
        "enumerated values: integer format, quality dimension, type and metric, relationship type, server type",
        arguments: [
            (
                "logicalType: string",
                "logicalType: integer\n        logicalTypeOptions: {format: i33}", "found 'i33'; did you mean 'i32'?"
            ),
            ("logicalType: string", "logicalType: string\n        quality: [{dimension: acuracy}]", "found 'acuracy'"),
            ("logicalType: string", "logicalType: string\n        quality: [{type: sqll}]", "found 'sqll'"),
            ("logicalType: string", "logicalType: string\n        quality: [{metric: nullValue}]", "found 'nullValue'"),
            (
                "logicalType: string", "logicalType: string\n        relationships: [{type: foreign}]",
                "found 'foreign'"
            ),
            (
                "logicalType: string", "logicalType: string\n        logicalTypeOptions: {minLength: 1, maxItems: 2}",
                "'maxItems' is not a logicalTypeOptions key of logicalType string in ODCS v3.1; allowed for string: "
            ),
        ] as [(String, String, String)])
    func enumeratedValues(old: String, new: String, expected: String) throws {
        let found = try diagnostics(replacing: old, with: new)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains(expected) == true, "\(found)")
        #expect(found.first?.hasPrefix("contracts/orders.odcs.yaml:") == true)
        #expect(found.first?.hasPrefix("contracts/orders.odcs.yaml:0:") == false)
    }

    @Test("the schema's own forms validate: logicalTypeOptions per type, integer formats, quality rules")
    func validForms() throws {
        let found = try diagnostics(
            replacing: "logicalType: string",
            with: """
                logicalType: string
                        logicalTypeOptions: {minLength: 1, maxLength: 20, pattern: '^[A-Z]', format: uuid}
                        quality: [{type: library, metric: nullValues, mustBe: 0, dimension: completeness}]
                """)
        #expect(found == [])
    }
}
