import Foundation
import LakegateCore
import TestSupport
import Testing

@testable import Descriptors

/// The plain-subset reader must give exactly Yams' tree (texts and positions) wherever it answers.
@Suite("PlainYAMLParser")
struct PlainYAMLParserTests {
    /// The plain reader's tree, or nil when it leaves the file to Yams.
    private func plain(_ data: Data) -> YAMLNode? {
        data.withUnsafeBytes { PlainYAMLParser.parse($0.bindMemory(to: UInt8.self), path: "f.yaml") }
    }

    /// Checks that the plain reader either declines or agrees with Yams; returns whether it answered.
    @discardableResult
    private func agrees(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        agrees(Data(text.utf8), sourceLocation: sourceLocation)
    }

    @discardableResult
    private func agrees(_ data: Data, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        guard let fast = plain(data) else { return false }
        do {
            let reference = try YAMLParser.parseWithYams(data, path: "f.yaml")
            #expect(fast == reference, "\(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
        } catch {
            Issue.record("Yams rejects what the plain reader read: \(error)", sourceLocation: sourceLocation)
        }
        return true
    }

    @Test func readsTheSubsetLikeYams() {
        let accepted = [
            "a: 1\nb: two words  # comment\n",
            "# head\n\nroot:\n  child: x\n  list:\n    - a\n    - b: 1\n      c: 2\n    -\n      d: 3\n",
            "key:\n- indentless\n- items\nnext: v\n",
            "tags: [pii, domain-x, a b]\nempty: []\nurn: urn:bench:c0\nurl: http://x/y#frag\n",
            "- name: t0\n  properties:\n    - name: c0\n      physicalType: DECIMAL(18,2)\n",
            "  indented: root\n  second: 2\n",
            "a:b: c\nkey   : spaced\n-neg: -1\n",
            "schema:\n  - name: t\n    tags: [x]   # trailing\n  - [a, b]\n",
            "a: 'quoted'\nb: \"q: x # y\"\nc: 'it''s'  # comment\nd: \"\"\ne: ''\n",
            "list:\n  - 'one'\n  - \"two, three\"\n  - name: \"n\"\n    v: '1'\n",
        ]
        for text in accepted {
            #expect(agrees(text), "not read: \(text)")
        }
    }

    @Test func leavesEverythingElseToYams() {
        let declined = [
            "a: 1\na: 2\n",  // duplicate key
            "a:\nb: 1\n",  // empty value
            "a: one\n  two\n",  // multi-line plain scalar
            "a: \"esc\\tape\"\n", "a: 'open\n", "a: \"x\" y\n", "\"k\": v\n", "- \"k\": v\n", "a: 'x'#c\n",
            "a: 'multi\n  line'\n", "a: |\n  text\n", "a: &x 1\nb: *x\n", "a: !!str 1\n",
            "a: {b: 1}\n", "---\na: 1\n", "a:\tb\n", "a: caf\u{E9}\n", "a: [1, 2\n", "a: b: c\n",
            "- - x\n", "? complex\n: value\n", "a: 1\n- b\n", "plain scalar\n", "", "# only a comment\n",
            "a:\n  - x\n  y: 1\n", "a: [x,]\n", "a: [x]]\n",
        ]
        for text in declined {
            #expect(!agrees(text), "read: \(text)")
        }
    }

    @Test func agreesOnEveryExampleFile() throws {
        var read = 0
        let root = Paths.packageRoot.appendingPathComponent("Examples")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        for case let url as URL in files where ["yaml", "yml"].contains(url.pathExtension) {
            if agrees(try Data(contentsOf: url)) { read += 1 }
        }
        #expect(read > 10)
    }

    @Test func agreesOnMutatedExampleFiles() throws {
        let texts = try ["customer-360", "orders"].flatMap { example in
            let disk = DirectoryFileSource(root: Paths.example(example))
            return try disk.list("").filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { try disk.read($0) }
        }
        var rng = SeededGenerator(state: 42)
        var read = 0
        for _ in 0..<3000 {
            var data = texts.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...3, using: &rng) { data = MutationTests.mutate(data, &rng) }
            if agrees(data) { read += 1 }
        }
        #expect(read > 300)
    }
}
