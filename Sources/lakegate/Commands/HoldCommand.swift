import ArgumentParser
import AuditTrail
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
    @OptionGroup var signing: HoldSigningOptions
    @OptionGroup var state: StateDirectoryOption
    @OptionGroup var audit: AuditOptions

    func run() throws {
        let now = Date()
        let reason = signing.noted(reason)
        let who = try signing.actor(action: "hold", target: target, product: product, reason: reason, at: now)
        let keeper = try audit.keeper(stateDirectory: state.resolved)
        let store = try state.open(auditSigner: keeper)
        let hold = Hold(target: target, product: product, reason: reason, who: who, createdAt: now)
        try store.placeHold(hold)
        // A hold is a security event: checkpoint it at once rather than at the next interval.
        try keeper?.checkpoint(of: store)
        print("held \(hold.scope): \(hold.reason) (by \(hold.who))")
    }
}
