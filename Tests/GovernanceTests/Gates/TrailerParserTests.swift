import Foundation
import TestSupport
import Testing

@testable import Governance

@Suite("TrailerParser")
struct TrailerParserTests {
    static let handWritten: [String] = [
        "Title\n\nBody\n\nSigned-off-by: A <a@x>\n",
        "Title\n\nReviewed-by: B\nAcked-by: C\n",
        "Only a title\n",
        "Title\nReviewed-by: in title paragraph\n",
        "Title\n\nSome text\nChange-Id: I123\n",
        "Title\n\nSome text\nmore text\nmore\nSigned-off-by: D\n",
        "Title\n\ntext\ntext\ntext\ntext\nSigned-off-by: D\n",
        "Title\n\nKey: first line\n  continued here\n\tand here\nOther: x\n",
        "Title\n\nKey: v\n---\nNot-A-Trailer: after divider\n",
        "Title\n\nKey: v\n# a comment\nOther: w\n",
        "Title\n\nKey: v\n\n# trailing comment\n",
        "Title\n\nChange-Ticket: CHG-1\n\nFinal paragraph without trailers.\n",
        "Title\n\nkey : spaced separator\nKEY: upper\n",
        "Title\n\nBad key: no\n",
        "Title\n\n(cherry picked from commit 0123456789abcdef)\nsome words\nmore words\n",
        "Title\n\nhttp://example.com/x\n",
        "Title\n\nKey:\n",
        "Title\n\nKey:   \n",
        "Title\n\n   \nKey: after blank-ish line\n",
        "\n\nTitle after blank lines\n\nKey: v\n",
        "Title\r\n\r\nKey: crlf\r\n",
        "Title\n\nKey: v\n--- \nx\n",
        "Title\n\nKey: v\n---\n",
        "Title\n\nKey: v\n# ------------------------ >8 ------------------------\nOther: cut\n",
        "Title\n\n Indented: start\nKey: v\n",
        "Title\n\nKey: v\nConflicts:\n\tfile.c\n",
        "Title\n\nKey: value with: colon\n",
        "Title\n\nKey: v\nno colon line\n",
        "",
        "\n",
        "Title\n\nÄnderung: unicode key\n",
        "Title\n\nKey: ünïcödé value\n",
    ]

    static let keys = [
        "Signed-off-by", "Reviewed-by", "Acked-by", "Change-Id", "Change-Ticket", "Approved-by", "key", "X", "a-b-c",
        "Fixes", "Co-authored-by",
    ]

    static func randomMessage(_ rng: inout SplitMix64) -> String {
        var lines: [String] = []
        lines.append(
            ["Fix the thing", "Release 1.2.0", "", "# comment title", "Key: title trailer"].randomElement(using: &rng)!)
        let paragraphs = Int.random(in: 0...3, using: &rng)
        for _ in 0..<paragraphs {
            lines.append(["", "", " ", "\t"].randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                let key = keys.randomElement(using: &rng)!
                let choice = Int.random(in: 0..<16, using: &rng)
                switch choice {
                case 0, 1, 2, 3: lines.append("\(key): value \(Int.random(in: 0...99, using: &rng))")
                case 4: lines.append("Signed-off-by: Person <p@x.example>")
                case 5: lines.append(["  continued", "\tmore text", " "].randomElement(using: &rng)!)
                case 6: lines.append("# a comment line")
                case 7: lines.append("free text without separator")
                case 8: lines.append("\(key) : spaced")
                case 9: lines.append("\(key):no-space")
                case 10: lines.append("(cherry picked from commit 1234abcd)")
                case 11: lines.append(["---", "--- x", "---notdivider"].randomElement(using: &rng)!)
                case 12: lines.append("Not a key: value")
                case 13: lines.append("\(key):")
                case 14: lines.append("")
                default: lines.append("https://example.com/\(Int.random(in: 0...9, using: &rng))")
                }
            }
        }
        var message = lines.joined(separator: "\n")
        if Bool.random(using: &rng) { message += "\n" }
        return message
    }

    /// What `git interpret-trailers --parse` prints for `message`.
    static func gitTrailers(_ fixture: GitScratch, _ message: String, configuredKeys: [String]) throws -> String {
        var arguments: [String] = []
        for key in configuredKeys { arguments += ["-c", "trailer.\(key).key=\(key)"] }
        arguments += ["interpret-trailers", "--parse"]
        return try fixture.run("git", arguments, input: message).stdout
    }

    static func ours(_ message: String, configuredKeys: [String]) -> String {
        TrailerParser(configuredKeys: configuredKeys).parse(message).map { "\($0.key): \($0.value)\n" }.joined()
    }

    @Test("matches git interpret-trailers --parse on hand-written and 240 seeded random messages")
    func differential() throws {
        let fixture = try GitScratch(
            prefix: "lakegate-trailers", authorName: "Release Author", authorEmail: "author@bank.example")
        var rng = SplitMix64(state: 20_261_125)
        var messages = Self.handWritten
        for _ in 0..<240 { messages.append(Self.randomMessage(&rng)) }
        #expect(messages.count >= 200)
        var compared = 0
        for (index, message) in messages.enumerated() {
            let configured = index % 4 == 3 ? ["Acked-by", "approved-BY"] : []
            let expected = try Self.gitTrailers(fixture, message, configuredKeys: configured)
            let actual = Self.ours(message, configuredKeys: configured)
            #expect(actual == expected, "message #\(index): \(message.debugDescription)")
            compared += 1
        }
        #expect(compared == messages.count)
    }

    @Test("a trailer in a non-final paragraph is not a trailer")
    func nonFinalParagraph() {
        let trailers = TrailerParser().parse("Title\n\nChange-Ticket: CHG-1\n\nJust prose at the end.\n")
        #expect(trailers.isEmpty)
    }

    @Test("continuation lines are unfolded and keys keep their spelling")
    func unfold() {
        let trailers = TrailerParser().parse("T\n\nKey: one\n  two\n\tthree\nother: x\n")
        #expect(trailers == [Trailer(key: "Key", value: "one two three"), Trailer(key: "other", value: "x")])
    }
}
