import ArgumentParser
import Foundation
import LakegateCore
import Store

/// `lakegate history`: the audit trail of deployments, as a table or JSON.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the audit log of deployments.",
        subcommands: [HistoryVerifyCommand.self]
    )

    @Option(help: "Only entries of this product.") var product: String?
    @Option(help: "Only entries of this target environment.") var target: String?
    @OptionGroup var state: StateDirectoryOption
    @Option(help: "text or json.") var output: Format = .text

    /// `--output text|json`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    func run() throws {
        let entries = try state.openExisting()?.auditEntries(product: product, target: target) ?? []
        switch output {
        case .json:
            print(JSONValue.array(entries.map(\.json)).prettyJSON)
        case .text:
            if entries.isEmpty {
                print("no audit entries in \(state.location)")
                return
            }
            print(HistoryTable.render(entries))
        }
    }
}

/// The text table of audit entries.
enum HistoryTable {
    static func render(_ entries: [AuditEntry]) -> String {
        let header = [
            "SEQ", "FINISHED", "PRODUCT", "TARGET", "RELEASE", "COMMIT", "OUTCOME", "ACTIONS", "APPROVED BY", "NOTE",
        ]
        let rows = entries.map { entry -> [String] in
            let failed = entry.actions.filter { $0.result.hasPrefix("failed") }.count
            return [
                String(entry.sequence), entry.finishedAt.formatted(.iso8601), entry.product, entry.target,
                entry.release ?? "-", entry.commit.isEmpty ? "-" : String(entry.commit.prefix(12)), entry.outcome,
                failed > 0 ? "\(entry.actions.count) (\(failed) failed)" : String(entry.actions.count),
                entry.approvals.isEmpty ? "-" : entry.approvals.map(\.signer).joined(separator: ","), note(entry),
            ]
        }
        return Table.render(header: header, rows: rows)
    }

    /// Who acted and why for holds; the (shortened) message otherwise.
    static func note(_ entry: AuditEntry) -> String {
        var text = entry.message ?? ""
        if let actor = entry.actor { text = text.isEmpty ? "by \(actor)" : "by \(actor): \(text)" }
        if text.isEmpty { return "-" }
        return text.count > 72 ? text.prefix(71) + "…" : text
    }
}
