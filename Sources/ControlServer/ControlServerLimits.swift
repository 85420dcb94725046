/// The HTTP surface's limits.
public struct ControlServerLimits: Sendable, Hashable {
    /// The largest webhook body read; larger ones get 413 before more is read.
    public var webhookBodyBytes: Int
    /// How many webhook deliveries are read at once; more get 503.
    public var concurrentWebhooks: Int
    /// How long a delivery id (or payload digest) is remembered to refuse replays, in seconds.
    public var deliveryWindowSeconds: Double
    /// How many connections are open at once; more wait in the accept backlog.
    public var connections: Int

    public init(
        webhookBodyBytes: Int = 1 << 20, concurrentWebhooks: Int = 8, deliveryWindowSeconds: Double = 3600,
        connections: Int = 64
    ) {
        self.webhookBodyBytes = webhookBodyBytes
        self.concurrentWebhooks = concurrentWebhooks
        self.deliveryWindowSeconds = deliveryWindowSeconds
        self.connections = connections
    }
}
