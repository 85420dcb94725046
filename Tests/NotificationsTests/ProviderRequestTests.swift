import CurlHTTP
import Foundation
import LakegateCore
import Notifications
import OperatorConfig
import Store
import Testing

@Suite struct ProviderRequestTests {
    static let commit = String(repeating: "ab", count: 20)

    static func delivery(kind: String = "approval.requested", repository: String = "https://github.com/acme/orders.git")
        -> OutboxDelivery
    {
        var payload = NotificationPayload(
            id: "e-1", kind: kind, product: "orders", environment: "prod", repository: repository, release: "v1.2.0",
            commit: commit, occurredAt: "2026-12-05T18:00:00Z", message: "v1.2.0 waits for approvals")
        payload.quorum = .init(required: 2, valid: 1)
        payload.plan = .init(summary: "1 to create", changes: ["+ schemas.sales"])
        payload.gates = [.init(name: "policy:pii-masked", passed: false, reason: "column email unmasked")]
        payload.approveCommand = "lakegate approve v1.2.0 --target prod --product orders --push"
        return OutboxDelivery(
            eventID: "e-1", provider: "p", kind: kind, product: "orders", target: "prod", payload: payload.json,
            createdAt: Date(), attempts: 0, nextAttemptAt: Date(), state: .pending, lastError: nil, finishedAt: nil)
    }

    static func header(_ request: HTTPRequest, _ name: String) -> String? {
        request.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    static func body(_ request: HTTPRequest) throws -> JSONValue {
        try JSONValue(parsing: String(decoding: request.body ?? [], as: UTF8.self))
    }

    @Test func theGenericWebhookSendsThePayloadSignedWithTheEventID() throws {
        let delivery = Self.delivery()
        let request = try ProviderRequest.make(delivery, kind: .webhook, url: "http://h/x", secret: "k3y")
        #expect(request.method == "POST")
        #expect(request.url == "http://h/x")
        #expect(String(decoding: request.body ?? [], as: UTF8.self) == delivery.payload)
        #expect(Self.header(request, "X-Lakegate-Event-Id") == "e-1")
        #expect(Self.header(request, "X-Lakegate-Event") == "approval.requested")
        let signature = try #require(Self.header(request, "X-Lakegate-Signature-256"))
        #expect(NotificationSignature.verify(request.body ?? [], signature: signature, secret: "k3y"))
        #expect(!NotificationSignature.verify(request.body ?? [], signature: signature, secret: "other"))
        #expect(!NotificationSignature.verify(Array("{}".utf8), signature: signature, secret: "k3y"))
        let payload = try NotificationPayload(json: delivery.payload)
        #expect(payload.blockingPolicies == ["pii-masked"])
    }

    @Test func theSignatureIsTheDocumentedHMAC() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let signature = NotificationSignature.sign(Array("what do ya want for nothing?".utf8), secret: "Jefe")
        #expect(signature == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func slackGetsTextAndBlocksWithTheApproveCommand() throws {
        let request = try ProviderRequest.make(Self.delivery(), kind: .slack, url: "http://h/s", secret: nil)
        let body = try Self.body(request)
        #expect(body["text"]?.stringValue == "orders v1.2.0 awaits approval for prod (1 of 2)")
        let blocks = try #require(body["blocks"]?.arrayValue)
        #expect(blocks.first?["type"]?.stringValue == "header")
        #expect(blocks.contains { $0["text"]?["text"]?.stringValue?.contains("lakegate approve v1.2.0") == true })
        #expect(blocks.contains { $0["text"]?["text"]?.stringValue?.contains("Blocking policies: pii-masked") == true })
        #expect(Self.header(request, "X-Lakegate-Signature-256") == nil)
    }

    @Test func teamsGetsAnAdaptiveCard() throws {
        let request = try ProviderRequest.make(Self.delivery(), kind: .teams, url: "http://h/t", secret: nil)
        let body = try Self.body(request)
        #expect(body["type"]?.stringValue == "message")
        let attachment = try #require(body["attachments"]?.arrayValue?.first)
        #expect(attachment["contentType"]?.stringValue == "application/vnd.microsoft.card.adaptive")
        #expect(attachment["content"]?["type"]?.stringValue == "AdaptiveCard")
        let facts = try #require(attachment["content"]?["body"]?.arrayValue?[1]["facts"]?.arrayValue)
        #expect(facts.contains { $0["title"]?.stringValue == "Approvals" && $0["value"]?.stringValue == "1 of 2" })
    }

    @Test func gitHubGetsACommitStatusOnTheReleaseCommit() throws {
        let request = try ProviderRequest.make(
            Self.delivery(kind: "deployed"), kind: .github, url: "https://ghe.example.com/api/v3", secret: "ghp_x")
        #expect(request.url == "https://ghe.example.com/api/v3/repos/acme/orders/statuses/\(Self.commit)")
        #expect(Self.header(request, "Authorization") == "Bearer ghp_x")
        #expect(Self.header(request, "Accept") == "application/vnd.github+json")
        let body = try Self.body(request)
        #expect(body["state"]?.stringValue == "success")
        #expect(body["context"]?.stringValue == "lakegate/prod")
        #expect((body["description"]?.stringValue?.count ?? 999) <= 140)
    }

    @Test func gitLabGetsACommitStatusWithItsOwnStateNames() throws {
        let request = try ProviderRequest.make(
            Self.delivery(kind: "stalled", repository: "git@gitlab.example.com:data/team/orders.git"), kind: .gitlab,
            url: "https://gitlab.example.com/api/v4", secret: "glpat-x")
        #expect(
            request.url == "https://gitlab.example.com/api/v4/projects/data%2Fteam%2Forders/statuses/\(Self.commit)")
        #expect(Self.header(request, "PRIVATE-TOKEN") == "glpat-x")
        let body = try Self.body(request)
        #expect(body["state"]?.stringValue == "failed")
        #expect(body["name"]?.stringValue == "lakegate/prod")
    }

    @Test func commitStatusesRefuseEventsWithoutAStatus() {
        #expect(throws: NotificationError.self) {
            try ProviderRequest.make(Self.delivery(kind: "drift.detected"), kind: .github, url: "http://h", secret: "t")
        }
    }
}
