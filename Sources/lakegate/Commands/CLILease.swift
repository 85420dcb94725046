import ArgumentParser
import Foundation
import Logging
import Reconciler
import Store

/// The lease a command that writes to a workspace takes on shared PostgreSQL state, like a `serve` replica: a
/// person's `lakegate apply` and the replicas never change the same product × environment at once.
enum CLILease {
    /// How long the lease lasts between renewals (serve's default `state.leaseDuration`).
    static let duration: Duration = .seconds(15)

    /// Who holds it, as the `leases` table and the replicas' logs show: `cli:<host>:<pid>`.
    static var holder: String {
        "cli:\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Runs `work` under the lease on `product` in `target` when `store` is shared, else at once (a state
    /// directory has one writer: `serve` holds its lock). Exits 1, having applied nothing, when another holder's
    /// lease is current. `work` gets the store its writes go through: the fenced view under a lease.
    static func run<Value: Sendable>(
        store: StateStore, product: String, target: String, command: String,
        _ work: @escaping @Sendable (_ fenced: StateStore, _ deadline: LeaseDeadline?) async throws -> Value
    ) async throws -> Value {
        guard store.database.dialect == .postgres else { return try await work(store, nil) }
        var logger = Logger(label: "lakegate.\(command)")
        logger.logLevel = .warning
        let outcome = try await PairLease.run(
            store: store, product: product, target: target, holder: holder, duration: duration, logger: logger
        ) { fenced, deadline in
            do { return Result<Value, any Error>.success(try await work(fenced, deadline)) } catch {
                return .failure(error)
            }
        }
        guard let outcome else {
            let current = try? store.leases().first { $0.fence.product == product && $0.fence.target == target }
            let who = current.map { " (held by \($0.fence.holder))" } ?? ""
            FileHandle.standardError.write(
                Data(
                    ("lakegate \(command): \(product) in \(target) is being worked on by another holder of its "
                        + "lease\(who); nothing was applied, try again when it is done\n").utf8))
            throw ExitCode(1)
        }
        return try outcome.get()
    }
}
