import Foundation

/// When and how long to wait before retrying, as the Databricks SDKs do: 429 and 503 wait `Retry-After`
/// (1 s when missing) plus jitter; connection errors back off `min(10, attempt)` seconds plus jitter; all
/// within a total budget.
public struct RetryPolicy: Sendable, Equatable {
    /// Total time for one call, retries included, in seconds (SDK `retry_timeout_seconds`, default 300).
    public var budget: Double
    /// Upper bound of the random delay added to every wait, in seconds (SDK: 1).
    public var maxJitter: Double
    /// Longest connection-error backoff, in seconds.
    public var maxBackoff: Double
    /// Attempts per call at most, first included; nil leaves only the time budget (the SDK's behaviour).
    public var maxAttempts: Int?

    public init(budget: Double = 300, maxJitter: Double = 1, maxBackoff: Double = 10, maxAttempts: Int? = nil) {
        self.budget = budget
        self.maxJitter = maxJitter
        self.maxBackoff = maxBackoff
        self.maxAttempts = maxAttempts
    }

    /// Whether `attempt` (1-based) used up ``maxAttempts``.
    func exhausted(after attempt: Int) -> Bool {
        maxAttempts.map { attempt >= $0 } ?? false
    }

    /// Messages of errors that are transient although their status says otherwise (from the SDK).
    static let transientMessages = [
        "com.databricks.backend.manager.util.UnknownWorkerEnvironmentException",
        "does not have any associated worker environments", "There is no worker environment with id",
        "Unknown worker environment", "ClusterNotReadyException", "Unexpected error",
        "RPC token bucket limit has been exceeded",
    ]

    /// The wait before the next attempt after an HTTP error response, or nil when it must not be retried.
    public func delay(status: Int, retryAfter: String?, message: String, jitter: Double) -> Double? {
        if status == 429 || status == 503 {
            return Self.parseRetryAfter(retryAfter) + jitter * maxJitter
        }
        if Self.transientMessages.contains(where: { message.contains($0) }) { return 1 + jitter * maxJitter }
        return nil
    }

    /// The wait before attempt `attempt + 1` after a connection error on attempt `attempt` (1-based).
    public func connectionBackoff(attempt: Int, jitter: Double) -> Double {
        min(maxBackoff, Double(attempt)) + jitter * maxJitter
    }

    /// `Retry-After` as seconds: an integer or decimal number; 1 when missing or not a number.
    public static func parseRetryAfter(_ value: String?) -> Double {
        guard let value, let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
            return 1
        }
        return seconds
    }
}
