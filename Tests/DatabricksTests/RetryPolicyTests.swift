import Databricks
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(budget: 300, maxJitter: 1, maxBackoff: 10)

    @Test func rateLimitAndUnavailableHonourRetryAfterPlusJitter() {
        #expect(policy.delay(status: 429, retryAfter: "3", message: "", jitter: 0) == 3)
        #expect(policy.delay(status: 503, retryAfter: "2", message: "", jitter: 0.5) == 2.5)
        #expect(policy.delay(status: 429, retryAfter: nil, message: "", jitter: 0) == 1)
        #expect(policy.delay(status: 429, retryAfter: "soon", message: "", jitter: 0) == 1)
        #expect(policy.delay(status: 429, retryAfter: "0.2", message: "", jitter: 0) == 0.2)
    }

    @Test func otherErrorsAreNotRetriedUnlessTransient() {
        #expect(policy.delay(status: 500, retryAfter: "1", message: "boom", jitter: 0) == nil)
        #expect(policy.delay(status: 400, retryAfter: nil, message: "bad", jitter: 0) == nil)
        #expect(policy.delay(status: 400, retryAfter: nil, message: "Unexpected error in RPC", jitter: 0) == 1)
    }

    @Test func connectionBackoffGrowsToTenSeconds() {
        #expect(policy.connectionBackoff(attempt: 1, jitter: 0) == 1)
        #expect(policy.connectionBackoff(attempt: 4, jitter: 0.25) == 4.25)
        #expect(policy.connectionBackoff(attempt: 30, jitter: 0) == 10)
    }
}
