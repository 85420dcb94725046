import Dispatch

/// Runs blocking C calls (libgit2, libcurl, SQLite) off Swift's cooperative thread pool.
///
/// The pool has one thread per core (two here); a blocking fetch on it would stall every other task,
/// health checks included.
public enum Blocking {
    /// Runs `work` on a dedicated queue and resumes the caller with its result.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            // A serial queue per call overcommits: each blocked call gets its own thread. A shared concurrent
            // queue would run at most one item per core on Linux.
            DispatchQueue(label: "lakegate.blocking").async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
