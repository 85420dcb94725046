import Foundation
import OperatorConfig

extension Controller {
    /// Reconciles `product` in `target` as soon as possible (the next pass, started now when `serve` is waiting
    /// between passes) and returns the status it came to. The reconcile applies even where `sync.mode` is
    /// `manual`: this is the operator's go-ahead (`lakegate reconcile`, `POST /api/v1/reconcile`). Gates, holds
    /// and everything else still decide as in any pass.
    ///
    /// - Throws: ``ControllerError`` when the product or the environment is unknown.
    public func requestSync(product name: String, target: String) async throws -> ProductStatus {
        let (product, _) = try lookup(product: name, target: target)
        let key = "\(name)/\(target)"
        let repository = product.repo
        if syncRequestsClosed { return Self.notReconciled(product: name, target: target) }
        return await withCheckedContinuation { continuation in
            syncRequests[key, default: []].append(SyncRequest(product: name, target: target, answer: continuation))
            enqueueTrigger(repository)
        }
    }

    /// Requests waiting for a reconcile, for tests and `/metrics`-free introspection.
    public var pendingSyncRequests: Int { syncRequests.values.reduce(0) { $0 + $1.count } }

    /// Marks the requests for `key` as taken by the reconcile about to start; whether there were any.
    func takeSyncRequests(_ key: String) -> Bool {
        guard var requests = syncRequests[key], !requests.isEmpty else { return false }
        for index in requests.indices { requests[index].taken = true }
        syncRequests[key] = requests
        return true
    }

    /// Answers the taken requests of `status`'s product and environment with it.
    func answerSyncRequests(_ status: ProductStatus) {
        let key = "\(status.product)/\(status.target)"
        guard let requests = syncRequests[key] else { return }
        for request in requests where request.taken { request.answer.resume(returning: status) }
        let waiting = requests.filter { !$0.taken }
        syncRequests[key] = waiting.isEmpty ? nil : waiting
    }

    /// Answers every waiting request with a failure: the controller stops and no pass will take them.
    func closeSyncRequests() {
        syncRequestsClosed = true
        for request in syncRequests.values.joined() {
            request.answer.resume(returning: Self.notReconciled(product: request.product, target: request.target))
        }
        syncRequests = [:]
    }

    static func notReconciled(product: String, target: String) -> ProductStatus {
        ProductStatus(
            product: product, target: target, outcome: .failed,
            message: "the controller is stopping: the reconcile was not run",
            lastReconciled: ISO8601DateFormatter().string(from: Date()))
    }
}
