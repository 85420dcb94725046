import Foundation

/// An append-only file of checkpoints, one JSON line each; put it on another volume than the state database.
public struct AuditCheckpointFile: Sendable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// Appends `checkpoint` and flushes it to disk.
    public func append(_ checkpoint: AuditCheckpoint) throws {
        let line = Data((checkpoint.jsonLine + "\n").utf8)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw AuditTrailError(what: path, reason: "cannot create the checkpoint file")
            }
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
            try handle.synchronize()
        } catch {
            throw AuditTrailError(what: path, reason: "cannot append a checkpoint: \(error)")
        }
    }

    /// Every checkpoint in the file, in file order; nil when the file does not exist. A line that cannot be
    /// read is an error naming it: a damaged checkpoint file is not silently skipped.
    public func read() throws -> [AuditCheckpoint]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw AuditTrailError(what: path, reason: "cannot read the checkpoint file: \(error)")
        }
        return try AuditCheckpoint.parse(lines: text, source: path)
    }
}
