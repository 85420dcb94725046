import Descriptors
import Foundation
import LakegateCore
import Testing

@testable import Capture

@Suite("YAML and JSON text patches")
struct YAMLTextPatchTests {
    static let text = """
        # The product. Comments stay.
        name: demo   # trailing comment
        grants:
          - principal: analysts
            privileges: [SELECT]

          - principal: ${var.stewards}
            privileges:
              - USE_SCHEMA
        tasks:
          - task_key: load
            notebook_task:
              notebook_path: ../src/load.py
        last: "quoted"

        """

    func patched(_ edit: (JSONValue) -> JSONValue) throws -> String {
        let document = try YAMLParser.parse(Data(Self.text.utf8), path: "x.yml").jsonValue
        return try YAMLTextPatch.apply(text: Self.text, path: "x.yml", to: edit(document))
    }

    @Test func unchangedTextIsReturnedAsItIs() throws {
        #expect(try patched { $0 } == Self.text)
    }

    @Test func aChangedScalarIsTheOnlyLineThatChanges() throws {
        let result = try patched { $0.setting([.key("last")], to: "new value") }
        #expect(result == Self.text.replacingOccurrences(of: "last: \"quoted\"", with: "last: new value"))
    }

    @Test func aNewItemIsAppendedAndCommentsBlankLinesAndFlowListsStay() throws {
        let result = try patched { document in
            var grants = document["grants"]!.arrayValue!
            grants.append(["principal": "marketing", "privileges": ["SELECT", "USE_SCHEMA"]])
            return document.setting([.key("grants")], to: .array(grants))
        }
        #expect(result.hasPrefix("# The product. Comments stay.\nname: demo   # trailing comment\n"))
        #expect(result.contains("    privileges: [SELECT]\n\n  - principal: ${var.stewards}\n"))
        #expect(
            result.contains(
                "      - USE_SCHEMA\n  - principal: marketing\n    privileges: [SELECT, USE_SCHEMA]\ntasks:\n"))
    }

    @Test func aRemovedFirstKeyOfAListItemKeepsTheDash() throws {
        let result = try patched { document in
            document.setting([.key("tasks"), .index(0), .key("task_key")], to: nil)
        }
        #expect(result.contains("tasks:\n  - notebook_task:\n      notebook_path: ../src/load.py\n"))
        let reread = try YAMLParser.parse(Data(result.utf8), path: "x.yml").jsonValue
        #expect(reread["tasks"]?.arrayValue?.first?["notebook_task"] != nil)
    }

    @Test func newKeysAreWrittenInBlockStyleWithPlainScalarsWherePossible() throws {
        let result = try patched { document in
            document.setting([.key("new")], to: ["name": "x", "comment": "a: b", "flag": "true", "list": []])
        }
        #expect(
            result.hasSuffix("last: \"quoted\"\nnew:\n  name: x\n  comment: \"a: b\"\n  flag: \"true\"\n  list: []\n"))
    }

    @Test func jsonFilesKeepTheirLayoutAndOnlyTheChangedValueIsRewritten() throws {
        let text = """
            {
              "version": 2,
              "items": [
                {"id": "a", "content": ["one"]},
                {"id": "b", "content": ["two"]}
              ]
            }

            """
        var value = try JSONValue(parsing: text)
        value = value.setting([.key("items"), .index(1), .key("content")], to: ["two, edited"])
        value = value.setting([.key("items"), .index(0), .key("extra")], to: true)
        let result = JSONTextPatch.apply(text: text, to: value)
        #expect(
            result
                == text.replacingOccurrences(of: "[\"two\"]", with: "[\"two, edited\"]")
                .replacingOccurrences(of: "[\"one\"]}", with: "[\"one\"], \"extra\": true}"))
    }

    @Test func templatesThatStillResolveToTheLiveValueAreKept() {
        let written: JSONValue = [
            ["principal": "${var.stewards}", "privileges": ["USE_SCHEMA"]],
            ["principal": "b", "privileges": ["SELECT"]],
        ]
        let resolved: JSONValue = [
            ["principal": "stewards", "privileges": ["USE_SCHEMA"]], ["principal": "b", "privileges": ["SELECT"]],
        ]
        let live: JSONValue = [
            ["principal": "a", "privileges": ["SELECT"]], ["principal": "b", "privileges": ["MODIFY", "SELECT"]],
            ["principal": "stewards", "privileges": ["USE_SCHEMA"]],
        ]
        let merged = TemplateMerge.merge(written: written, resolved: resolved, live: live, unordered: ["grants"])
        // `grants` is not the key here (a top-level list), so the live order is kept; the template stays.
        #expect(merged?.arrayValue?.contains(["principal": "${var.stewards}", "privileges": ["USE_SCHEMA"]]) == true)
        #expect(merged?.arrayValue?.contains(["principal": "b", "privileges": ["MODIFY", "SELECT"]]) == true)
        #expect(merged?.arrayValue?.count == 3)
        let ordered = TemplateMerge.merge(
            written: ["grants": written], resolved: ["grants": resolved], live: ["grants": live], unordered: ["grants"])
        #expect(ordered?["grants"]?.arrayValue?.first?["principal"] == "${var.stewards}")
        #expect(ordered?["grants"]?.arrayValue?.last?["principal"] == "a")
    }

    @Test func unifiedDiffHasHunksWithContext() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 10\n", with: "line ten\n")
        let diff = UnifiedDiff.render(old: old, new: new, path: "f.txt")
        #expect(
            diff == """
                --- a/f.txt
                +++ b/f.txt
                @@ -7,7 +7,7 @@
                 line 7
                 line 8
                 line 9
                -line 10
                +line ten
                 line 11
                 line 12
                 line 13

                """)
    }
}
