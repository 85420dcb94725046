/// Somewhere outside the state database that keeps checkpoints: a file, a git ref.
public protocol AuditCheckpointSink: Sendable {
    /// Names the sink in messages (a path, a repository and ref).
    var name: String { get }
    /// Records `checkpoint` durably (and pushes it, for a remote ref).
    func record(_ checkpoint: AuditCheckpoint) throws
    /// Every checkpoint kept, oldest first; nil when the sink holds none yet.
    func checkpoints() throws -> [AuditCheckpoint]?
}

extension AuditCheckpointFile: AuditCheckpointSink {
    public var name: String { path }

    public func record(_ checkpoint: AuditCheckpoint) throws {
        try append(checkpoint)
    }

    public func checkpoints() throws -> [AuditCheckpoint]? {
        try read()
    }
}
