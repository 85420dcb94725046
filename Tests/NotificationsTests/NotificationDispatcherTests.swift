import CurlHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LakegateCore
import Logging
import MetricsTestKit
import NIOCore
import Notifications
import OperatorConfig
import Store
import Synchronization
import TestSupport
import Testing

/// The dispatcher against a real local receiver over libcurl: deliveries, retries with the same id, giving up.
@Suite struct NotificationDispatcherTests {
    /// What the receiver got, and the statuses it answers with (then 200).
    final class Receiver: Sendable {
        struct Received: Sendable {
            var path: String
            var headers: [String: String]
            var body: [UInt8]
        }
        let received = Mutex<[Received]>([])
        let answers: Mutex<[Int]>

        init(answers: [Int]) { self.answers = Mutex(answers) }

        var application: some ApplicationProtocol {
            let responder = CallbackResponder<BasicRequestContext> { request, _ in
                var body: [UInt8] = []
                for try await chunk in request.body { body.append(contentsOf: chunk.readableBytesView) }
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
                self.received.withLock {
                    $0.append(.init(path: request.uri.path, headers: headers, body: body))
                }
                let status = self.answers.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
                return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: "nope")))
            }
            return Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    static func store() throws -> (StateStore, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        return (try StateStore(stateDirectory: directory.path), directory)
    }

    static func event(_ id: String, providers: [String]) -> OutboxEvent {
        let payload = NotificationPayload(
            id: id, kind: "deployed", product: "orders", environment: "qa", repository: "/srv/acme/orders.git",
            release: "v1.0.0", commit: String(repeating: "c", count: 40), occurredAt: "2026-12-05T18:00:00Z",
            message: "applied")
        return OutboxEvent(
            id: id, kind: "deployed", product: "orders", target: "qa", payload: payload.json, providers: providers,
            createdAt: Date())
    }

    static func dispatcher(
        _ store: StateStore, port: Int, metrics: TestMetrics, maxAttempts: Int = 3
    ) -> NotificationDispatcher {
        let settings = OperatorConfig.Notifications(
            providers: [
                .init(
                    name: "hook", kind: .webhook, url: .literal("http://127.0.0.1:\(port)/hook"),
                    secret: .environmentVariable("HOOK")),
                .init(
                    name: "chat", kind: .slack, url: .secret(.environmentVariable("CHAT_URL")), secret: nil),
            ],
            routes: [.init(providers: ["hook", "chat"])], maxAttempts: maxAttempts, initialBackoff: .seconds(10),
            maxBackoff: .seconds(20))
        let secrets = ["HOOK": "s3cret", "CHAT_URL": "http://127.0.0.1:\(port)/services/T0/B0/xyz"]
        return NotificationDispatcher(
            store: store, transport: CurlTransport(logger: Logger(label: "test")), settings: { settings },
            resolveSecret: { reference in
                guard case .environmentVariable(let name) = reference, let value = secrets[name] else {
                    throw NotificationError("no such secret")
                }
                return value
            }, metrics: metrics, logger: Logger(label: "test"))
    }

    @Test func everyProviderGetsTheEventOnceWithItsIDAndSignature() async throws {
        let (store, directory) = try Self.store()
        defer { directory.remove() }
        let receiver = Receiver(answers: [])
        try await receiver.application.test(.live) { client in
            let port = try #require(client.port)
            let metrics = TestMetrics()
            try store.enqueue([Self.event("e-1", providers: ["hook", "chat"])])
            let round = try await Self.dispatcher(store, port: port, metrics: metrics).deliverDue()
            #expect(round == .init(delivered: 2, retried: 0, failed: 0))
            // Nothing is due any more: a second round sends nothing.
            let again = try await Self.dispatcher(store, port: port, metrics: metrics).deliverDue()
            #expect(again == .init())
        }
        let received = receiver.received.withLock { $0 }
        #expect(received.map(\.path).sorted() == ["/hook", "/services/T0/B0/xyz"])
        let hook = try #require(received.first { $0.path == "/hook" })
        #expect(hook.headers["x-lakegate-event-id"] == "e-1")
        let signature = try #require(hook.headers["x-lakegate-signature-256"])
        #expect(NotificationSignature.verify(hook.body, signature: signature, secret: "s3cret"))
        let chat = try #require(received.first { $0.path != "/hook" })
        #expect(chat.headers["x-lakegate-event-id"] == "e-1")
        #expect(try JSONValue(parsing: String(decoding: chat.body, as: UTF8.self))["text"]?.stringValue != nil)
        #expect(try store.deliveries(state: .delivered).count == 2)
    }

    @Test func aFailedDeliveryIsRetriedWithTheSameIDThenGivenUp() async throws {
        let (store, directory) = try Self.store()
        defer { directory.remove() }
        // The hook answers 500 three times; the chat accepts.
        let receiver = Receiver(answers: [500, 500, 500])
        let metrics = TestMetrics()
        try await receiver.application.test(.live) { client in
            let port = try #require(client.port)
            try store.enqueue([Self.event("e-2", providers: ["hook"])])
            let dispatcher = Self.dispatcher(store, port: port, metrics: metrics, maxAttempts: 3)
            let first = try await dispatcher.deliverDue()
            #expect(first == .init(delivered: 0, retried: 1, failed: 0))
            // Not due again before the backoff (10 s, then 20 s): the clock is passed in, so a slow machine
            // cannot make a retry due early.
            #expect(try await dispatcher.deliverDue(now: Date()) == .init())
            #expect(
                try await dispatcher.deliverDue(now: Date().addingTimeInterval(11))
                    == .init(delivered: 0, retried: 1, failed: 0))
            #expect(try await dispatcher.deliverDue(now: Date().addingTimeInterval(11)) == .init())
            #expect(
                try await dispatcher.deliverDue(now: Date().addingTimeInterval(40))
                    == .init(delivered: 0, retried: 0, failed: 1))
        }
        let received = receiver.received.withLock { $0 }
        #expect(received.count == 3)
        #expect(Set(received.compactMap { $0.headers["x-lakegate-event-id"] }) == ["e-2"])
        let failed = try #require(try store.deliveries(state: .failed).first)
        #expect(failed.attempts == 3)
        #expect(failed.lastError?.hasPrefix("HTTP 500") == true)
        let counter = try metrics.expectCounter(
            "lakegate_notification_deliveries_total", [("provider", "hook"), ("result", "failed")])
        #expect(counter.totalValue == 1)
        let gauge = try metrics.expectGauge("lakegate_notification_outbox", [("state", "failed")])
        #expect(gauge.lastValue == 1)
    }

    @Test func anUnreachableProviderIsRetriedAndTheURLNotLogged() async throws {
        let (store, directory) = try Self.store()
        defer { directory.remove() }
        let metrics = TestMetrics()
        try store.enqueue([Self.event("e-3", providers: ["chat"])])
        // Port 9 on loopback (discard) has no listener here: connection refused.
        let round = try await Self.dispatcher(store, port: 9, metrics: metrics).deliverDue()
        #expect(round.retried == 1)
        let pending = try #require(try store.deliveries(state: .pending).first)
        #expect(pending.lastError?.contains("no response from 127.0.0.1") == true)
        #expect(pending.lastError?.contains("xyz") == false)
    }

    @Test func anUnknownProviderIsAFailedAttemptNotASuccess() async throws {
        let (store, directory) = try Self.store()
        defer { directory.remove() }
        try store.enqueue([Self.event("e-4", providers: ["gone"])])
        let round = try await Self.dispatcher(store, port: 9, metrics: TestMetrics()).deliverDue()
        #expect(round.retried == 1)
        #expect(try store.deliveries(state: .pending).first?.lastError == "provider 'gone' is not configured")
    }
}
