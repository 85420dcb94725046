import Foundation

/// A notification to send, written to the outbox in the same transaction as the record it reports.
///
/// One event goes to every provider its routes chose; each provider's delivery is retried on its own, always with
/// the same ``id``, so a receiver that sees an id twice can drop the repeat.
public struct OutboxEvent: Sendable, Hashable {
    /// A unique id (a UUID), sent with every delivery attempt.
    public var id: String
    /// `approval.requested`, `deployed`, `stalled`, …
    public var kind: String
    public var product: String
    public var target: String
    /// The event as canonical JSON, the body every provider's message is made from.
    public var payload: String
    /// The providers the event goes to.
    public var providers: [String]
    public var createdAt: Date

    public init(
        id: String = UUID().uuidString.lowercased(), kind: String, product: String, target: String, payload: String,
        providers: [String], createdAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.product = product
        self.target = target
        self.payload = payload
        self.providers = providers
        self.createdAt = StoreTime.date(StoreTime.milliseconds(createdAt))
    }
}

/// One event's delivery to one provider, as the outbox keeps it.
public struct OutboxDelivery: Sendable, Hashable {
    /// Where a delivery stands.
    public enum State: String, Sendable, Hashable {
        /// Not delivered yet; tried again at ``OutboxDelivery/nextAttemptAt``.
        case pending
        /// The provider accepted it.
        case delivered
        /// Given up after the last allowed attempt (or refused for good); kept for the console and `/metrics`.
        case failed
    }

    public var eventID: String
    public var provider: String
    public var kind: String
    public var product: String
    public var target: String
    public var payload: String
    public var createdAt: Date
    /// Attempts made so far.
    public var attempts: Int
    public var nextAttemptAt: Date
    public var state: State
    /// Why the last attempt failed (no secret: a status code or a transport error).
    public var lastError: String?
    /// When it was delivered or given up.
    public var finishedAt: Date?

    public init(
        eventID: String, provider: String, kind: String, product: String, target: String, payload: String,
        createdAt: Date, attempts: Int, nextAttemptAt: Date, state: State, lastError: String?, finishedAt: Date?
    ) {
        self.eventID = eventID
        self.provider = provider
        self.kind = kind
        self.product = product
        self.target = target
        self.payload = payload
        self.createdAt = createdAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.state = state
        self.lastError = lastError
        self.finishedAt = finishedAt
    }
}
