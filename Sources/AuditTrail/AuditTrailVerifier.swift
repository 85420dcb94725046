import Foundation
import GitSource
import Store

/// Checks the audit log in the state database against the controller's key and the checkpoints kept outside it.
///
/// Detected and located: an edited, deleted or reordered entry (the chain), a rehashed forgery and a swapped key
/// (the signatures), a removed tail and a rewritten log (the checkpoints). Not detected: entries removed after the
/// newest checkpoint together with the checkpoints that named them, when the attacker can write every sink.
public struct AuditTrailVerifier: Sendable {
    /// The audit key; without it signatures cannot be judged and a signed log fails the check.
    public var key: AuditKey?
    public var sinks: [any AuditCheckpointSink]

    public init(key: AuditKey?, sinks: [any AuditCheckpointSink]) {
        self.key = key
        self.sinks = sinks
    }

    /// Verifies `store`'s audit log.
    public func verify(_ store: StateStore) throws -> AuditTrailReport {
        let key = self.key
        let chain = try store.verifyAudit(
            checkSignature: key.map { key in
                { entry in entry.signature.flatMap { key.problem(with: $0, for: entry.signedPayload) } }
            })
        var report = AuditTrailReport(
            chain: chain, keyFingerprint: key?.publicKey.fingerprint, newestCheckpoint: nil,
            newestCheckpointSource: nil, problems: [], notes: [])
        let signedCount = chain.entryCount - chain.unsignedPrefix
        if key == nil, signedCount > 0 {
            report.problems.append(
                "the log is signed but no audit key was given: signatures not checked "
                    + "(set audit.signingKey in lakegate.yaml or pass --key)")
        }
        if chain.unsignedPrefix > 0, signedCount == 0 {
            report.notes.append(
                "the log is not signed (no audit.signingKey): the chain shows edits, deletions and reorderings, "
                    + "not a rewrite by someone who recomputes the hashes")
        } else if chain.unsignedPrefix > 0 {
            report.notes.append(
                "entries 1…\(chain.unsignedPrefix) predate signing: chained but unsigned; only a checkpoint at or "
                    + "after them proves they were not rewritten")
        }
        if sinks.isEmpty {
            report.notes.append("no checkpoint sink (audit.checkpoints): a removed tail cannot be detected")
        }
        for sink in sinks {
            try check(sink, against: store, chain: chain, into: &report)
        }
        if let newest = report.newestCheckpoint, chain.isIntact, newest.sequence < chain.headSequence {
            report.notes.append(
                "entries \(newest.sequence + 1)…\(chain.headSequence) are newer than the newest checkpoint: "
                    + "their removal would not be detected")
        }
        return report
    }

    private func check(
        _ sink: any AuditCheckpointSink, against store: StateStore, chain: AuditVerification,
        into report: inout AuditTrailReport
    ) throws {
        let checkpoints: [AuditCheckpoint]
        do {
            guard let read = try sink.checkpoints(), !read.isEmpty else {
                if chain.entryCount > 0 {
                    report.problems.append("\(sink.name): no checkpoint: a removed tail cannot be ruled out")
                }
                return
            }
            checkpoints = read
        } catch {
            report.problems.append("\(error)")
            return
        }
        for (index, checkpoint) in checkpoints.enumerated() {
            let location =
                "\(sink.name): checkpoint \(index + 1) (entry \(checkpoint.sequence), "
                + "\(checkpoint.time.formatted(.iso8601)))"
            if let key, let problem = key.problem(with: checkpoint.signature, for: checkpoint.payload) {
                report.problems.append("\(location): signature rejected: \(problem)")
                continue
            }
            if report.newestCheckpoint.map({ checkpoint.sequence >= $0.sequence }) ?? true {
                report.newestCheckpoint = checkpoint
                report.newestCheckpointSource = sink.name
            }
            guard checkpoint.sequence > 0 else { continue }
            guard let stored = try store.auditHash(sequence: checkpoint.sequence) else {
                let (head, _) = try store.auditHead()
                report.problems.append(
                    "\(location): the log ends at entry \(head); entries \(head + 1)…\(checkpoint.sequence) "
                        + "were removed (tail truncated)")
                continue
            }
            if stored != checkpoint.head {
                report.problems.append(
                    "\(location): entry \(checkpoint.sequence) has hash \(stored.prefix(12)), the checkpoint says "
                        + "\(checkpoint.head.prefix(12)): the log was rewritten up to there")
            }
        }
    }
}
