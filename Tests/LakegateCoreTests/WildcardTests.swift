import LakegateCore
import Testing

@Suite struct WildcardTests {
    @Test(arguments: [
        ("", "", true), ("", "*", true), ("abc", "*", true), ("abc", "abc", true), ("abc", "a?c", true),
        ("abc", "a*", true), ("abc", "*c", true), ("abc", "a*b*c", true), ("aab", "*ab", true), ("abcbd", "a*bd", true),
        ("ac", "a*?c", false), ("abc", "ab", false), ("ab", "abc", false), ("abc", "a?", false), ("abc", "b*", false),
        ("", "?", false), ("ABC", "abc", false), ("a*c", "a*c", true),
        ("axxxxxxxxxxxxxxxxxxxxy", "a*x*x*x*x*x*z", false),
    ])
    func starMatchesAnyRunAndQuestionMarkOneCharacter(text: String, pattern: String, expected: Bool) {
        #expect(Wildcard.matches(text, pattern: pattern) == expected)
    }

    @Test func questionMarkCountsCharactersOrUTF8Bytes() {
        #expect(Wildcard.matches("höst", pattern: "h?st"))
        #expect(!Wildcard.matches("höst", pattern: "h?st", unit: .utf8Byte))
        #expect(Wildcard.matches("höst", pattern: "h??st", unit: .utf8Byte))
        #expect(!Wildcard.matches("höst", pattern: "h??st"))
        #expect(Wildcard.matches("höst", pattern: "h*t", unit: .utf8Byte))
    }

    @Test func aNegatedPatternInAListWinsWhereverItStands() {
        #expect(Wildcard.matches("ann@bank.example", anyOf: ["*@bank.example", "!bob@bank.example"]))
        #expect(!Wildcard.matches("bob@bank.example", anyOf: ["*@bank.example", "!bob@bank.example"]))
        #expect(!Wildcard.matches("bob@bank.example", anyOf: ["!bob@bank.example", "*@bank.example"]))
        #expect(!Wildcard.matches("bob@bank.example", anyOf: ["!ann@bank.example"]))
        #expect(!Wildcard.matches("anyone", anyOf: [String]()))
        #expect(Wildcard.matches("repo.corp.example", anyOf: "*.corp.example,!bad.*".split(separator: ",")))
        #expect(!Wildcard.matches("bad.corp.example", anyOf: "*.corp.example,!bad.*".split(separator: ",")))
    }
}
