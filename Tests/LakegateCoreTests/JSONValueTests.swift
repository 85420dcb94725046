import Foundation
import LakegateCore
import Testing

@Suite struct JSONValueTests {
    @Test func canonicalFormSortsKeysAndKeepsIntegers() throws {
        let value = try JSONValue(parsing: #"{"b": [1, 2.5, "x\n"], "a": {"z": null, "y": true}}"#)
        #expect(value.canonicalJSON == #"{"a":{"y":true,"z":null},"b":[1,2.5,"x\n"]}"#)
    }

    @Test func keyOrderDoesNotChangeTheDigest() throws {
        let one = DesiredState(
            product: "p", target: "dev",
            resources: [Resource(kind: .schema, key: "schemas.s", name: "c.s", fields: ["a": 1, "b": "x"])])
        let two = DesiredState(
            product: "p", target: "dev",
            resources: [Resource(kind: .schema, key: "schemas.s", name: "c.s", fields: ["b": "x", "a": 1])])
        #expect(one.digest == two.digest)
        #expect(one.digest.hasPrefix("sha256:"))
    }

    @Test(arguments: [0, 1, 1000])
    func canonicalBodyIsTheCanonicalFormOfTheDocument(resources count: Int) {
        let resources = (0..<count).map { i in
            Resource(
                kind: i % 2 == 0 ? .table : .schema, key: "k\(i)", name: "c.s.\"t\(i)\"",
                fields: ["n": .int(Int64(i)), "tags": ["b": "x", "a": "y\n"]], dependsOn: ["k\(i / 2)"])
        }
        let state = DesiredState(product: "p\"1", target: "dev", resources: resources)
        let document: JSONValue = .object([
            "product": .string(state.product), "target": .string(state.target),
            "resources": .array(state.resources.map(\.jsonValue)),
        ])
        #expect(state.canonicalBody == document.canonicalJSON)
    }

    @Test(arguments: ["{", "[1,]", "tru", "\"abc", "01x", "{\"a\" 1}"])
    func rejectsMalformedJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func unicodeEscapesRoundTrip() throws {
        let value = try JSONValue(parsing: #""caf\u00e9 \ud83d\ude00""#)
        #expect(value == .string("café 😀"))
    }
}
