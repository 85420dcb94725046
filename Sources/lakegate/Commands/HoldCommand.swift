import ArgumentParser
import Foundation
import Store

/// `lakegate hold`: stops automatic promotion to a target, for every product or one.
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Stop automatic promotion to a target (freeze, incident, manual rollback)."
    )

    @OptionGroup var options: HoldOptions
    @Option(help: "Why; shown in status and in the audit log (lakegate history).") var reason: String =
        "held by operator"

    func run() throws {
        let now = Date()
        let reason = options.signing.noted(reason)
        let who = try options.actor(action: "hold", reason: reason, at: now)
        let hold = Hold(target: options.target, product: options.product, reason: reason, who: who, createdAt: now)
        _ = try options.change(creating: true) { store in
            try store.placeHold(hold)
            return true
        }
        print("held \(hold.scope): \(hold.reason) (by \(hold.who))")
    }
}
