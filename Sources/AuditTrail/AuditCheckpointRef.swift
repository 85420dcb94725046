import Foundation
import GitSource

/// Checkpoints kept as `checkpoints.jsonl` on a ref of a git repository the operator names (e.g. a repository
/// only the auditors and the controller's deploy key can write). Each checkpoint is a commit on top of the last
/// one, pushed at once without force: a remote ref that was rewritten refuses the push, and the failure is logged.
public struct AuditCheckpointRef: AuditCheckpointSink {
    /// The repository URL or path.
    public var repository: String
    /// The ref, e.g. `refs/lakegate/audit-checkpoints`.
    public var reference: String
    /// A local bare repository the commits are made in before they are pushed.
    public var stagingPath: String
    public var credentials: GitCredentials

    /// The file on the ref.
    public static let fileName = "checkpoints.jsonl"

    public init(repository: String, reference: String, stagingPath: String, credentials: GitCredentials) {
        self.repository = repository
        self.reference = reference
        self.stagingPath = stagingPath
        self.credentials = credentials
    }

    public var name: String { "\(repository) \(reference)" }

    public func record(_ checkpoint: AuditCheckpoint) throws {
        do {
            let local = try Self.open(stagingPath)
            try fetch(into: local, force: false)
            var content = try local.fileContent(reference: reference, path: Self.fileName) ?? Data()
            content.append(Data((checkpoint.jsonLine + "\n").utf8))
            try local.commitFile(
                Self.fileName, contents: content, reference: reference,
                message: "audit checkpoint: entry \(checkpoint.sequence)",
                author: GitIdentity(name: "lakegate", email: "lakegate@localhost"))
            try Remote(repository: local, url: repository, credentials: credentials).push(
                refspecs: ["\(reference):\(reference)"])
        } catch let error as AuditTrailError {
            throw error
        } catch {
            throw AuditTrailError(what: name, reason: "cannot record the checkpoint: \(error)")
        }
    }

    /// Reads the ref as the remote has it now, into a scratch repository that is removed afterwards.
    public func checkpoints() throws -> [AuditCheckpoint]? {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "lakegate-checkpoints-\(UUID().uuidString).git"
        ).path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let text: String
        do {
            let local = try Repository(creatingBareAt: scratch)
            try fetch(into: local, force: true)
            guard let data = try local.fileContent(reference: reference, path: Self.fileName) else { return nil }
            text = String(decoding: data, as: UTF8.self)
        } catch {
            throw AuditTrailError(what: name, reason: "cannot read the checkpoints: \(error)")
        }
        return try AuditCheckpoint.parse(lines: text, source: "\(name):\(Self.fileName)")
    }

    private static func open(_ path: String) throws -> Repository {
        FileManager.default.fileExists(atPath: path + "/HEAD")
            ? try Repository(openingAt: path) : try Repository(creatingBareAt: path)
    }

    /// Brings the remote's ref into `local` when the remote has it; without force a rewritten remote ref fails.
    private func fetch(into local: Repository, force: Bool) throws {
        guard try Remote(url: repository, credentials: credentials).listReferences()[reference] != nil else { return }
        try Remote(repository: local, url: repository, credentials: credentials).fetch(
            refspecs: ["\(force ? "+" : "")\(reference):\(reference)"], prune: false)
    }
}
