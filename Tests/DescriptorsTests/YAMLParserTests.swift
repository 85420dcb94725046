import Descriptors
import Foundation
import LakegateCore
import Testing

@Suite("YAMLParser")
struct YAMLParserTests {
    private func parse(_ text: String) throws(DiagnosticList) -> YAMLNode {
        try YAMLParser.parse(Data(text.utf8), path: "f.yaml")
    }

    private func failure(_ text: String) -> [String] {
        do {
            _ = try parse(text)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func locatesKeysAndValues() throws {
        let node = try parse("a: 1\nb:\n  - x\n  - {c: true}\n")
        #expect(node.location == SourceLocation(path: "f.yaml", line: 1, column: 1))
        let b = try #require(node.pair("b"))
        #expect(b.keyLocation == SourceLocation(path: "f.yaml", line: 2, column: 1))
        #expect(b.value.sequence?[1].location.line == 4)
        #expect(b.value.sequence?[1]["c"]?.location == SourceLocation(path: "f.yaml", line: 4, column: 9))
    }

    @Test func jsonValueKeepsTypes() throws {
        let node = try parse("i: 42\nf: 1.5\nb: true\nn: ~\ns: '42'\nyes: yes\nhex: 0x1F\nlist: [1, two]\n")
        #expect(
            node.jsonValue
                == [
                    "i": 42, "f": 1.5, "b": true, "n": nil, "s": "42", "yes": "yes", "hex": 31, "list": [1, "two"],
                ])
    }

    @Test func keepsKeyOrderAndStyle() throws {
        let node = try parse("z: 1\na: \"q\"\nm: |\n  text\n")
        #expect(node.mapping?.map(\.key) == ["z", "a", "m"])
        #expect(node["a"]?.scalar?.style == .doubleQuoted)
        #expect(node["m"]?.scalar?.style == .literal)
        #expect(node["m"]?.text == "text\n")
    }

    @Test func reportsSyntaxErrors() {
        #expect(
            failure("a: [1, 2\nb: 3\n")
                == [
                    "f.yaml:2:2: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 1)"
                ])
    }

    @Test func reportsDuplicateKeysAtTheSecondOccurrence() {
        #expect(
            failure("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n") == ["f.yaml:5:3: duplicate key 'c' (first defined at line 3)"]
        )
    }

    @Test func reportsEmptyAndBinaryFiles() throws {
        #expect(failure("") == ["f.yaml:0:0: file is empty"])
        #expect(failure("# only a comment\n") == ["f.yaml:0:0: file is empty"])
        do {
            _ = try YAMLParser.parse(Data([0x89, 0x50, 0x00, 0x01]), path: "b.yaml")
            Issue.record("binary data parsed")
        } catch {
            #expect(error.description == "b.yaml:1:2: binary file (a NUL byte): expected YAML text")
        }
        do {
            _ = try YAMLParser.parse(Data([0x61, 0x3A, 0x20, 0xFF, 0xFE]), path: "u.yaml")
            Issue.record("invalid UTF-8 parsed")
        } catch {
            #expect(error.description == "u.yaml:1:4: file is not valid UTF-8 text (byte 0xFF)")
        }
    }

    @Test("a control character, a C1 control or an overlong or cut-short sequence is named at its line and column")
    func controlCharactersAndBadSequencesAreLocated() {
        let cases: [([UInt8], String)] = [
            (Array("a: 1\nb: x\u{01}y\n".utf8), "f.yaml:2:5: control character U+0001 is not allowed in YAML text"),
            (Array("a: 1\n\u{7F}\n".utf8), "f.yaml:2:1: control character U+007F is not allowed in YAML text"),
            (Array("a: é\u{85}\u{90}\n".utf8), "f.yaml:1:6: control character U+0090 is not allowed in YAML text"),
            ([0x61, 0x3A, 0x20, 0xC0, 0xAF], "f.yaml:1:4: file is not valid UTF-8 text (byte 0xC0)"),
            ([0x61, 0x0A, 0x62, 0xE2, 0x82], "f.yaml:2:2: file is not valid UTF-8 text (byte 0xE2)"),
            ([0x61, 0x3A, 0x20, 0xED, 0xA0, 0x80], "f.yaml:1:4: file is not valid UTF-8 text (byte 0xED)"),
        ]
        for (bytes, expected) in cases {
            do {
                _ = try YAMLParser.parse(Data(bytes), path: "f.yaml")
                Issue.record("parsed: \(expected)")
            } catch {
                #expect(error.description == expected)
            }
        }
        // Tabs, CR LF, NEL and a byte order mark are text.
        #expect(throws: Never.self) {
            try YAMLParser.parse(Data("\u{FEFF}a: \"x\ty\u{85}\"\r\nb: 2\r\n".utf8), path: "f.yaml")
        }
    }

    @Test func refusesAliasBombs() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<8 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(failure(text).first?.contains("too many aliases") == true)
    }
}

@Suite("YAMLMappingReader")
struct YAMLMappingReaderTests {
    @Test func reportsUnknownKeysWithSuggestionWrongTypesAndMissingKeys() throws {
        let node = try YAMLParser.parse(Data("nmae: x\ncount: many\nflag: 3\n".utf8), path: "r.yaml")
        var diagnostics = DiagnosticCollector()
        let reader = try #require(YAMLMappingReader(node, context: "thing", diagnostics: &diagnostics))
        reader.checkKeys(["name", "count", "flag"], diagnostics: &diagnostics)
        #expect(reader.int("count", diagnostics: &diagnostics) == nil)
        #expect(reader.bool("flag", diagnostics: &diagnostics) == nil)
        #expect(reader.string("name", required: true, diagnostics: &diagnostics) == nil)
        #expect(
            diagnostics.list.diagnostics.map(\.description) == [
                "r.yaml:1:1: thing is missing required key 'name'",
                "r.yaml:1:1: unknown key 'nmae' in thing; did you mean 'name'?",
                "r.yaml:2:8: 'count' in thing must be an integer, found a string",
                "r.yaml:3:7: 'flag' in thing must be true or false, found an integer",
            ])
    }

    @Test func editDistanceSuggestsOnlyCloseWords() {
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.suggestion(for: "ownr", among: ["owner", "name"]) == "owner")
        #expect(EditDistance.suggestion(for: "zzzzzz", among: ["owner", "name"]) == nil)
    }
}
