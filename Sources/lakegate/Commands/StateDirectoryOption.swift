import ArgumentParser
import Foundation
import Store

/// `--state-dir`, shared by the commands that read or write Lakegate's state database.
struct StateDirectoryOption: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: "The state directory (default: $LAKEGATE_STATE_DIR, else .lakegate).")
    var stateDirectory: String?

    /// The directory to use.
    var resolved: String {
        stateDirectory ?? ProcessInfo.processInfo.environment["LAKEGATE_STATE_DIR"] ?? ".lakegate"
    }

    /// The database path inside the state directory.
    var databasePath: String { StateStore.databasePath(in: resolved) }

    /// Opens the store only when its database exists, so reading commands never create one.
    func openExisting() throws -> StateStore? {
        guard FileManager.default.fileExists(atPath: databasePath) else { return nil }
        return try StateStore(path: databasePath)
    }
}
