import Foundation
import Logging
import Store

/// Signs audit entries with the controller's key and writes a signed checkpoint every `every` entries (and when
/// asked: at start and at shutdown) to each sink.
public struct AuditKeeper: AuditSigner {
    public var key: AuditKey
    /// A checkpoint after every this many entries (0: only when asked).
    public var every: Int
    public var sinks: [any AuditCheckpointSink]
    public var logger: Logger

    public init(key: AuditKey, every: Int, sinks: [any AuditCheckpointSink], logger: Logger) {
        self.key = key
        self.every = every
        self.sinks = sinks
        self.logger = logger
    }

    public func sign(_ payload: Data) throws -> String {
        try key.sign(payload)
    }

    public func didAppend(_ entry: AuditEntry) {
        guard every > 0, entry.sequence % Int64(every) == 0 else { return }
        do {
            _ = try checkpoint(sequence: entry.sequence, head: entry.hash)
        } catch {
            // The entry is committed and signed; a missing checkpoint weakens only tail detection, so say so loudly.
            logger.error("audit checkpoint failed", metadata: ["sequence": "\(entry.sequence)", "error": "\(error)"])
        }
    }

    /// Signs and records a checkpoint of `store`'s current head.
    @discardableResult
    public func checkpoint(of store: StateStore) throws -> AuditCheckpoint {
        let head = try store.auditHead()
        return try checkpoint(sequence: head.sequence, head: head.hash)
    }

    /// Signs a checkpoint of entry `sequence` with `head` and records it in every sink; the first failure is
    /// thrown after trying them all.
    @discardableResult
    public func checkpoint(sequence: Int64, head: String, at time: Date = Date()) throws -> AuditCheckpoint {
        var checkpoint = AuditCheckpoint(sequence: sequence, head: head, time: time, signature: "")
        checkpoint.signature = try key.sign(checkpoint.payload)
        var failure: (any Error)?
        for sink in sinks {
            do {
                try sink.record(checkpoint)
            } catch {
                logger.error("audit checkpoint not recorded", metadata: ["sink": "\(sink.name)", "error": "\(error)"])
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return checkpoint
    }
}
