import Foundation
import LakegateCore
import Store
import Synchronization
import Testing

@testable import Reconciler

/// A replica leases a pair under the product's lakegate.yaml name, `lakegate apply` under the dataproduct `id`;
/// where the two differ the replica takes the `id` lease too, from the plan to the end of the apply.
@Suite("ProductReconciler: the dataproduct id's lease")
struct ProductLeaseTests {
    @Test("a replica waits, planning nothing, while a person's apply holds the id's lease; then applies under it")
    func theIDLeaseExcludesAPersonsApply() async throws {
        let fixture = try await ReconcileFixture()
        let store = fixture.store
        var job = try fixture.reconciler("dev", name: "c360-team")
        job.productLease = .init(store: store, holder: "replica-1", duration: .seconds(15))
        let person = try #require(
            try store.acquireLease(
                product: "customer-360", target: "dev", holder: "cli:laptop:42", duration: .seconds(60)))

        let waiting = await job.reconcile()
        #expect(waiting.outcome == .waiting, "\(waiting.message)")
        #expect(waiting.message.contains("being worked on by cli:laptop:42"), "\(waiting.message)")
        #expect(try await fixture.writes() == 0)

        try store.releaseLease(person)
        // While the replica applies, a person's apply cannot take the id's lease.
        let refused = Mutex<[Bool]>([])
        job.beforeOperation = {
            let taken =
                (try? store.acquireLease(
                    product: "customer-360", target: "dev", holder: "cli:laptop:43", duration: .seconds(60))) ?? nil
            refused.withLock { $0.append(taken == nil) }
        }
        let applied = await job.reconcile()
        #expect(applied.outcome == .applied, "\(applied.message)")
        #expect(try await fixture.writes() > 0)
        let attempts = refused.withLock { $0 }
        #expect(!attempts.isEmpty && attempts.allSatisfy { $0 }, "\(attempts)")
        #expect(try store.leases().filter { $0.current && $0.fence.product == "customer-360" }.isEmpty)
    }

    @Test("where the names are the same, no second lease is taken")
    func theSameNameTakesNoSecondLease() async throws {
        let fixture = try await ReconcileFixture()
        var job = try fixture.reconciler("dev")
        job.productLease = .init(store: fixture.store, holder: "replica-1", duration: .seconds(15))
        let taken = Mutex(0)
        let store = fixture.store
        job.beforeOperation = {
            let current = (try? store.leases().filter(\.current).count) ?? -1
            taken.withLock { $0 = max($0, current) }
        }
        #expect(await job.reconcile().outcome == .applied)
        #expect(taken.withLock { $0 } == 0)
    }
}
