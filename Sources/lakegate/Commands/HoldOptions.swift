import ArgumentParser
import AuditTrail
import Foundation
import Store

/// What `hold` and `unhold` share: the scope (`--target`, `--product`), who the change is recorded as, the state
/// directory and the audit key its entry is signed with.
struct HoldOptions: ParsableArguments {
    @Option(help: "The target environment.") var target: String
    @Option(help: "One product only (default: every product of the target).") var product: String?
    @OptionGroup var signing: HoldSigningOptions
    @OptionGroup var state: StateDirectoryOption
    @OptionGroup var audit: AuditOptions

    /// `target` or `target/product`.
    var scope: String { product.map { "\(target)/\($0)" } ?? target }

    /// The actor `action` is recorded as (verified with `--sign`).
    func actor(action: String, reason: String, at time: Date) throws -> String {
        try signing.actor(action: action, target: target, product: product, reason: reason, at: time)
    }

    /// Runs `change` on the state store, its audit entry signed with the configured key; when it changed something,
    /// checkpoints the audit log at once rather than at the next interval: a hold or unhold is a security event.
    /// Without `creating`, a state directory that has no database yet is left alone (nothing changed).
    func change(creating: Bool, _ change: (StateStore) throws -> Bool) throws -> Bool {
        let keeper = try audit.keeper(stateDirectory: state.resolved)
        guard creating || FileManager.default.fileExists(atPath: state.databasePath) else { return false }
        let store = try StateStore(stateDirectory: state.resolved, auditSigner: keeper)
        guard try change(store) else { return false }
        try keeper?.checkpoint(of: store)
        return true
    }
}
