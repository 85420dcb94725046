import GitSource
import Synchronization

/// The product's mirror repository, opened once per reconcile by the gate step and read again by the load step.
///
/// A libgit2 handle is not thread-safe and the steps run on different threads (each off the cooperative pool):
/// every use holds the lock.
final class MirrorRepository: Sendable {
    private let repository: Mutex<Repository>

    /// Opens the mirror at `path`. Blocking.
    init(openingAt path: String) throws {
        repository = Mutex(try Repository(openingAt: path))
    }

    /// Runs `body` on the repository, holding the lock. Blocking.
    func read<Value: Sendable>(_ body: (Repository) throws -> Value) throws -> Value {
        try repository.withLock { repository in try body(repository) }
    }
}
