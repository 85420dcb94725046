import ArgumentParser
import Store

/// `lakegate history verify`: checks the audit log's hash chain; exit 1 names the first broken entry.
struct HistoryVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the audit log's hash chain (exit 0 intact, 1 broken)."
    )

    @OptionGroup var state: StateDirectoryOption

    func run() throws {
        guard let store = try state.openExisting() else {
            print("ok: no state database at \(state.databasePath) (0 entries)")
            return
        }
        let verification = try store.verifyAudit()
        if let broken = verification.firstBreak {
            print("broken: \(broken)")
            print("checked \(verification.entryCount) entries in \(state.databasePath)")
            throw ExitCode(1)
        }
        print("ok: \(verification.entryCount) entries, head \(verification.headHash)")
    }
}
