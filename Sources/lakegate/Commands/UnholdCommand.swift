import ArgumentParser
import AuditTrail
import Foundation
import Store

/// `lakegate unhold`: resumes automatic promotion; exit 1 when there was no such hold.
struct UnholdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unhold",
        abstract: "Resume automatic promotion to a target held with `lakegate hold`."
    )

    @Option(help: "The target environment.") var target: String
    @Option(help: "The product, when the hold was for one product.") var product: String?
    @Option(help: "Why; recorded in the audit log (lakegate history).") var reason: String?
    @OptionGroup var signing: HoldSigningOptions
    @OptionGroup var state: StateDirectoryOption
    @OptionGroup var audit: AuditOptions

    func run() throws {
        let now = Date()
        let reason = reason.map { signing.noted($0) } ?? signing.who.map { _ in signing.noted("released") }
        let who = try signing.actor(action: "unhold", target: target, product: product, reason: reason ?? "", at: now)
        let scope = product.map { "\(target)/\($0)" } ?? target
        let keeper = try audit.keeper(stateDirectory: state.resolved)
        guard let store = try state.openExisting(auditSigner: keeper) else {
            print("no hold on \(scope)")
            throw ExitCode(1)
        }
        guard try store.removeHold(target: target, product: product, by: who, reason: reason, at: now) else {
            print("no hold on \(scope)")
            throw ExitCode(1)
        }
        try keeper?.checkpoint(of: store)
        print("released \(scope)")
    }
}
