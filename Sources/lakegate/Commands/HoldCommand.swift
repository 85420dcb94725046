import ArgumentParser
import Foundation
import Store

/// `lakegate hold`: stops automatic promotion to a target, for every product or one.
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Stop automatic promotion to a target (freeze, incident, manual rollback)."
    )

    @Option(help: "The target environment to hold.") var target: String
    @Option(help: "Hold only this product (default: every product of the target).") var product: String?
    @Option(help: "Why; shown in status and in the audit log (lakegate history).") var reason: String =
        "held by operator"
    @Option(help: "Who places the hold (default: $USER).") var who: String?
    @OptionGroup var state: StateDirectoryOption

    func run() throws {
        let store = try StateStore(stateDirectory: state.resolved)
        let hold = Hold(
            target: target, product: product, reason: reason,
            who: who ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown", createdAt: Date())
        try store.placeHold(hold)
        print("held \(hold.scope): \(hold.reason) (by \(hold.who))")
    }
}
