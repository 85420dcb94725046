import ArgumentParser
import AuditTrail
import Foundation
import LakegateCore
import OperatorConfig
import Reconciler
import Store

/// `lakegate history verify`: checks the audit log's hash chain, its signatures and the newest checkpoint; exit 1
/// names the first broken entry or the checkpoint that disagrees.
struct HistoryVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the audit log: hash chain, signatures, checkpoints (exit 0 intact, 1 broken)."
    )

    @OptionGroup var state: StateDirectoryOption
    @OptionGroup var audit: AuditOptions
    @Option(help: "The audit public key (.pub), instead of audit.signingKey's.") var key: String?
    @Option(help: "The checkpoint file, instead of audit.checkpoints (file and git).") var checkpoints: String?
    @Option(help: "Output format: text or json.") var output: OutputFormat = .text
    /// `lakegate history`, which parses `--output` too (and takes it when both declare it).
    @ParentCommand var history: HistoryCommand

    func run() throws {
        let output: OutputFormat = self.output == .json || history.output == .json ? .json : .text
        guard let store = try state.openExisting() else {
            if output == .json {
                print(
                    JSONValue.object([
                        "intact": true, "entries": 0, "database": .string(state.databasePath), "problems": [],
                        "notes": ["no state database"],
                    ]).prettyJSON)
                return
            }
            print("ok: no state database at \(state.databasePath) (0 entries)")
            return
        }
        let configured = try audit.audit()
        let auditKey: AuditKey? =
            if let key { try AuditKey(publicKeyFile: key) } else {
                try configured.map { try AuditKey(signingKey: $0.signingKey) }
            }
        let sinks: [any AuditCheckpointSink] =
            if let checkpoints { [AuditCheckpointFile(path: checkpoints)] } else {
                configured.map { AuditOptions.sinks($0, stateDirectory: state.resolved) } ?? []
            }
        let report = try AuditTrailVerifier(key: auditKey, sinks: sinks).verify(store)
        if output == .json {
            print(Self.json(report, database: state.databasePath).prettyJSON)
            if !report.isIntact { throw ExitCode(1) }
            return
        }
        guard report.isIntact else {
            if let broken = report.chain.firstBreak { print("broken: \(broken)") }
            for problem in report.problems { print("broken: \(problem)") }
            for note in report.notes { print("note: \(note)") }
            print("checked \(report.chain.entryCount) entries in \(state.databasePath)")
            throw ExitCode(1)
        }
        defer { for note in report.notes { print("note: \(note)") } }
        let signed = report.keyFingerprint.map { ", signed by \($0)" } ?? ""
        let checkpoint =
            report.newestCheckpoint.map { ", checkpoint at entry \($0.sequence) (\($0.time.formatted(.iso8601)))" }
            ?? ""
        print("ok: \(report.chain.entryCount) entries, head \(report.chain.headHash)\(signed)\(checkpoint)")
    }
}

extension HistoryVerifyCommand {
    /// `{"intact", "entries", "head", "firstBreak", "problems", "notes", "keyFingerprint", "checkpoint"}`.
    static func json(_ report: AuditTrailReport, database: String) -> JSONValue {
        var problems = report.problems
        if let broken = report.chain.firstBreak { problems.insert(broken.description, at: 0) }
        var object: [String: JSONValue] = [
            "intact": .bool(report.isIntact),
            "database": .string(database),
            "entries": .int(Int64(report.chain.entryCount)),
            "head": .string(report.chain.headHash),
            "problems": .array(problems.map { .string($0) }),
            "notes": .array(report.notes.map { .string($0) }),
        ]
        if let fingerprint = report.keyFingerprint { object["keyFingerprint"] = .string(fingerprint) }
        if let checkpoint = report.newestCheckpoint {
            object["checkpoint"] = .object([
                "sequence": .int(checkpoint.sequence), "head": .string(checkpoint.head),
                "time": .string(checkpoint.time.formatted(.iso8601)),
            ])
        }
        return .object(object)
    }
}
