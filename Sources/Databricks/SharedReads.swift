import Foundation

/// Reads that the products of one workspace (and one identity) share within one controller pass: a catalog by
/// name, its schema listing and its `information_schema` tag views, a schema's table, volume and function
/// listings, and the warehouse listing. The first reader makes the request; every other reader of the same thing
/// in the pass awaits that one answer, a failure included (so a failed read fails each reader that needed it,
/// never turning into "absent").
///
/// The controller makes one per workspace and credentials at the start of a pass and drops it at the end; after
/// any write to the workspace it calls ``invalidate()``, so what a product applied is read again, never served
/// from before the write. `lakegate plan`/`apply` read without one (every read is made).
public actor SharedReads {
    private var answers: [String: Task<any Sendable, any Error>] = [:]
    private var made = 0
    private var shared = 0

    public init() {}

    /// The answer to the read named `key`: the one already made (or in flight) in this pass, else `fetch`'s.
    ///
    /// - Throws: what `fetch` threw, for every reader of `key` until the next ``invalidate()``.
    public func value<T: Sendable>(_ key: String, _ fetch: @escaping @Sendable () async throws -> T) async throws -> T {
        let task: Task<any Sendable, any Error>
        if let existing = answers[key] {
            shared += 1
            task = existing
        } else {
            made += 1
            task = Task { try await fetch() }
            answers[key] = task
        }
        // The request runs in a task of its own: a reader cancelled (serve stopping) cancels it, or it would run
        // on to its timeout. The other readers of it then fail too, which is closed, not absent.
        let answer = try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
        guard let value = answer as? T else {
            // Two callers named different types with one key: a programming error, reported as a failed read.
            throw DatabricksError(
                kind: .invalidResponse, message: "shared read \(key) has another type", method: "-", path: "-")
        }
        return value
    }

    /// Forgets every answer: the next read of anything is made again (after a write to the workspace).
    public func invalidate() {
        answers = [:]
    }

    /// Reads made, and reads answered from one already made, since this pass began.
    public func counts() -> (made: Int, shared: Int) {
        (made, shared)
    }
}
