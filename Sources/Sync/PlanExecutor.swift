import Foundation
import LakegateCore
import Planner
import Store

/// Applies a plan: wave by wave, actions of one wave in parallel up to ``concurrency``; records every object
/// it creates or adopts in the inventory as soon as it exists and forgets it when deleted, so that an apply
/// killed at any point is resumed by the next plan without duplicates.
public struct PlanExecutor: Sendable {
    /// Carries out the calls.
    public var performer: any PlanOperationPerformer
    /// Where ownership is recorded.
    public var inventory: InventoryStore
    /// Actions run at once within a wave.
    public var concurrency: Int
    /// Called after every workspace operation that succeeded (progress reporting, crash failpoints in tests).
    public var afterOperation: (@Sendable () -> Void)?
    /// Called before every workspace operation; it may cancel the apply (a replica whose lease ran out).
    public var beforeOperation: (@Sendable () -> Void)?

    public init(performer: any PlanOperationPerformer, inventory: InventoryStore, concurrency: Int = 4) {
        self.performer = performer
        self.inventory = inventory
        self.concurrency = max(1, concurrency)
    }

    /// Runs `plan`; never throws: every failure is a result. Dependents of a failed action are skipped,
    /// independent actions still run.
    public func execute(_ plan: Plan) async -> ApplyReport {
        var results: [String: ActionResult] = [:]
        var order: [String] = []
        let inventory = inventory
        _ = try? await Blocking.run {
            for key in plan.forget { try? inventory.remove(product: plan.product, target: plan.target, key: key) }
        }
        for wave in plan.waves {
            var runnable: [PlanAction] = []
            for action in wave where action.type != .retain {
                order.append(action.key)
                if let blocker = action.dependsOn.first(where: { results[$0].map { $0.status != .succeeded } ?? false })
                {
                    results[action.key] = ActionResult(
                        type: action.type, kind: action.kind, key: action.key, name: action.name,
                        status: .skipped(because: blocker), operations: 0, adoptedExisting: false)
                } else {
                    runnable.append(action)
                }
            }
            var next = 0
            await withTaskGroup(of: ActionResult.self) { group in
                while next < runnable.count, next < concurrency {
                    let action = runnable[next]
                    group.addTask { await run(action, plan: plan) }
                    next += 1
                }
                for await result in group {
                    results[result.key] = result
                    if next < runnable.count {
                        let action = runnable[next]
                        group.addTask { await run(action, plan: plan) }
                        next += 1
                    }
                }
            }
        }
        return ApplyReport(results: order.compactMap { results[$0] })
    }

    /// The index of the operation that brings the object into existence, if the action creates one.
    static func creatingOperation(of action: PlanAction) -> Int? {
        switch action.type {
        case .create: action.operations.isEmpty ? nil : 0
        case .replace: action.operations.count > 1 ? 1 : nil
        default: nil
        }
    }

    func record(_ action: PlanAction, plan: Plan, liveID: String?) async throws {
        let entry = InventoryEntry(
            product: plan.product, target: plan.target, key: action.key, kind: action.kind, name: action.name,
            liveID: liveID ?? action.name)
        let inventory = inventory
        try await Blocking.run { try inventory.record(entry) }
    }

    func run(_ action: PlanAction, plan: Plan) async -> ActionResult {
        var result = ActionResult(
            type: action.type, kind: action.kind, key: action.key, name: action.name, status: .succeeded,
            operations: 0, adoptedExisting: false)
        var liveID = action.type == .replace ? nil : action.liveID
        let creating = Self.creatingOperation(of: action)
        do {
            if action.type == .adopt { try await record(action, plan: plan, liveID: liveID) }
            for (index, operation) in action.operations.enumerated() {
                // Shutting down: stop at this operation boundary; what exists so far is in the inventory.
                beforeOperation?()
                if Task.isCancelled { throw ApplyError("stopped before \(action.key): the apply was cancelled") }
                let outcome = try await performer.perform(operation, of: action, liveID: liveID)
                result.operations += 1
                afterOperation?()
                switch outcome {
                case .done(let id):
                    if let id { liveID = id }
                case .alreadyExists:
                    guard index == creating else { break }
                    guard let owned = await performer.ownedLiveID(of: action) else {
                        throw ApplyError(
                            "\(action.name) already exists and does not carry this product's ownership markers; "
                                + "it was not created by Lakegate for \(plan.product) (\(plan.target))")
                    }
                    liveID = owned
                    result.adoptedExisting = true
                }
                if operation == .delete {
                    if action.type == .delete {
                        let inventory = inventory
                        try await Blocking.run {
                            try inventory.remove(product: plan.product, target: plan.target, key: action.key)
                        }
                    }
                } else if index == creating {
                    try await record(action, plan: plan, liveID: liveID)
                }
            }
        } catch {
            result.status = .failed(String(describing: error))
        }
        return result
    }
}

/// An apply step that cannot go on, with the reason.
public struct ApplyError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
