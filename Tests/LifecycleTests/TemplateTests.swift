import LakegateCore
import Lifecycle
import Testing

@Suite("blueprint placeholders")
struct TemplateTests {
    @Test func substitutesNamesAndFiltersAndKeepsBundleInterpolation() throws {
        let text =
            "name: {{ product_id }}\nschema: {{product_id|snake}}\nshout: {{ product_id | upper }}\ncat: ${var.catalog}\n"
        let rendered = try Template.render(text, values: ["product_id": "sales-leads"], path: "databricks.yml")
        #expect(rendered == "name: sales-leads\nschema: sales_leads\nshout: SALES-LEADS\ncat: ${var.catalog}\n")
    }

    @Test func backslashEscapesALiteralOpening() throws {
        let rendered = try Template.render(#"a \{{ b }} {{ x }}"#, values: ["x": "1"], path: "f")
        #expect(rendered == "a {{ b }} 1")
    }

    @Test func unknownNamesFiltersAndUnclosedPlaceholdersAreReportedAtTheirPosition() throws {
        let error = #expect(throws: DiagnosticList.self) {
            try Template.render("ok\n  {{ nope }} {{ x | shout }}\n{{ x", values: ["x": "1"], path: "t/f.yaml")
        }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages.count == 3)
        #expect(messages.contains { $0.hasPrefix("t/f.yaml:2:3: unknown parameter 'nope'") })
        #expect(messages.contains { $0.hasPrefix("t/f.yaml:2:14: unknown filter 'shout'") })
        #expect(messages.contains { $0.hasPrefix("t/f.yaml:3:1: '{{' is not closed") })
    }
}
