import Foundation
import LakegateCore
import Planner
import Testing

/// The plan as the console shows it: the same lines `render` prints, with credentials redacted.
@Suite("Plan document and redaction")
struct PlanDocumentTests {
    /// The table's comment changes, a tag named like a credential changes, and a nested credential key is added.
    func plan() throws -> Plan {
        var desired = Fixtures.table
        desired.fields["comment"] = "New <script>alert(1)</script> uses dapi-known-secret-123"
        var tags = desired.fields["tags"]!.objectValue!
        tags["api_token"] = "tok-desired-4711"
        desired.fields["tags"] = .object(tags)
        desired.fields["properties"] = ["quality": "gold", "nested": ["client_secret": "cs-desired-4711", "ok": "x"]]
        var live = Fixtures.table.fields
        live["comment"] = "Old"
        var liveTags = live["tags"]!.objectValue!
        liveTags["api_token"] = "tok-live-4711"
        live["tags"] = .object(liveTags)
        return try Planner(rules: PlanRules(maxDeleteShare: 1)).plan(
            desired: Fixtures.desired([desired, Fixtures.function]),
            live: LiveSnapshot(resources: [Fixtures.table.key: Fixtures.live(Fixtures.table, fields: live)]),
            inventory: [Fixtures.inventory(Fixtures.table)])
    }

    @Test func theDocumentIsTheRenderedPlanLineForLine() throws {
        let plan = try plan()
        let renderer = PlanRenderer(colors: false)
        let document = renderer.document(plan)
        #expect(document["digest"]?.stringValue == plan.digest, "the original plan's digest, not the redacted one's")
        #expect(document["summary"]?.stringValue == plan.summary.line)
        #expect(document["changes"]?.intValue == 2)
        let text = try #require(document["text"]?.stringValue)
        let actions = try #require(document["actions"]?.arrayValue)
        #expect(actions.map { $0["type"]?.stringValue ?? "" } == ["create", "update"])
        // Every header and change line of the document is a line of the rendered text, in order.
        var lines: [String] = []
        for action in actions {
            lines.append(action["header"]?.stringValue ?? "")
            for change in action["changes"]?.arrayValue ?? [] {
                lines.append("    " + (change["line"]?.stringValue ?? ""))
            }
        }
        let rendered = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("Plan:") }
        #expect(lines == rendered)
        let update = actions[1]
        #expect(
            update["header"]?.stringValue
                == "~ table tables.customers (c360_dev.crm.customers) will be updated in place")
        let comment = try #require(update["changes"]?.arrayValue?.first { $0["field"]?.stringValue == "comment" })
        #expect(comment["before"]?.stringValue == "\"Old\"")
        #expect(comment["after"]?.stringValue?.hasPrefix("\"New <script>") == true, "escaping is the page's job")
    }

    @Test func credentialsNeverAppear() throws {
        let plan = try plan()
        let document = PlanRenderer(colors: false).document(
            plan, mask: { $0.replacingOccurrences(of: "dapi-known-secret-123", with: "<redacted>") })
        let json = document.canonicalJSON
        for secret in ["tok-desired-4711", "tok-live-4711", "cs-desired-4711", "dapi-known-secret-123"] {
            #expect(!json.contains(secret), "\(secret) leaked")
        }
        // Still shown: which field changed, and the values that are not credentials.
        #expect(json.contains("tags.api_token") || json.contains("api_token"))
        #expect(json.contains("<redacted>"))
        #expect(json.contains("\\\"ok\\\":\\\"x\\\""), "\(json)")
        #expect(json.contains("uses <redacted>"))
        // The plan `lakegate plan` prints is unchanged (the terminal is the operator's own).
        #expect(PlanRenderer(colors: false).render(plan).contains("tok-desired-4711"))
    }

    @Test func sensitiveNames() {
        for name in ["password", "tags.api_token", "settings.client_secret", "DB_PASSWORD", "x.private_key.y"] {
            #expect(Plan.isSensitive(name), "\(name)")
        }
        for name in ["comment", "tags.owner", "columns.email.comment", "grants.analysts"] {
            #expect(!Plan.isSensitive(name), "\(name)")
        }
    }
}
