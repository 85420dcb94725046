import Databricks
import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore
import OperatorConfig
import Planner
import Store
import Sync

/// What a step hands on: the value the next step needs, or the result that ends the reconcile.
enum Step<Value: Sendable>: Sendable {
    case proceed(Value)
    case stop(ReconcileResult)
}

extension ProductReconciler {
    /// The context of one reconcile: what is deployed and whether a hold is active, read off the cooperative pool.
    /// A store that cannot be read fails the reconcile: an unreadable hold must not look like no hold.
    func start(now: Date, started: Date) async throws -> ReconcileContext {
        let (store, product, target) = (store, product.name, environment.name)
        let (deployed, hold) = try await Blocking.run {
            (
                try store.deployment(product: product, target: target),
                try store.activeHold(product: product, target: target)
            )
        }
        return ReconcileContext(now: now, started: started, deployed: deployed, hold: hold)
    }

    /// When a waiting reconcile is looked at again: the next pass.
    func nextPass(after now: Date) -> Date {
        now.addingTimeInterval(Controller.seconds(pollInterval))
    }

    /// The load step: reads the selected commit's `Allow-Destroy` trailers from the repository the gate step
    /// opened and loads the product from its tree.
    ///
    /// - Throws: `DiagnosticList` for invalid product files, git errors otherwise.
    func load(_ selection: Selection, context: ReconcileContext) async throws -> LoadedRevision {
        guard let repository = context.repository else {
            throw ReconcileFailure(description: "the repository was not opened before loading the revision")
        }
        let (mirrorPath, prefix) = (mirrorPath, product.path == "." ? "" : product.path)
        return try await Blocking.run {
            let message = try repository.read { try $0.commit(selection.commit).message }
            let keys = TrailerParser().parse(message).filter { $0.key.lowercased() == "allow-destroy" }.map(\.value)
            let source = try GitTreeFileSource(
                repositoryPath: mirrorPath, revision: selection.commit.hex, prefix: prefix)
            return LoadedRevision(source: source, product: try ProductLoader.load(source), allowDestroy: Set(keys))
        }
    }

    /// The plan step: renders the loaded product, reads the live state once and plans under the environment's
    /// rules (allowed destroys, delete share, prune).
    ///
    /// - Throws: `DiagnosticList` when rendering fails, ``PlanError`` when the plan is refused, client errors.
    func plan(_ revision: LoadedRevision, context: inout ReconcileContext) async throws -> PlanSession {
        let sync = environment.sync
        // Self-heal off: three-way plans against what was last applied, so a new revision keeps live changes to
        // the fields it did not change.
        let rules = PlanRules(
            allowDestroy: sync.allowDestroy ? revision.allowDestroy : [], maxDeleteShare: sync.maxDeleteShare,
            prune: sync.prune, selfHeal: sync.selfHeal)
        let session = try await PlanSession.make(
            product: revision.product, source: revision.source, target: environment.name, inventory: store.inventory,
            config: databricks, connector: connector, rules: rules, logger: logger,
            observer: { [metrics] in metrics.recordAPIRequest(group: $0, status: $1) }, shared: sharedReads)
        context.plan = session.plan
        return session
    }

    /// Whether to apply `plan`: not when it changes nothing, not to revert drift where self-heal is off, not
    /// without an operator's request (`lakegate reconcile`) where sync is manual. Where self-heal is off the plan
    /// is three-way: a new revision applies what it changed and the live changes it kept are reported as drift.
    func decide(_ plan: Plan, context: ReconcileContext) -> Step<Void> {
        guard let selection = context.selection else {
            return .stop(.failed(ReconcileFailure(description: "no revision was selected")))
        }
        let revision = selection.release ?? selection.commit.short
        guard plan.hasChanges else {
            guard !plan.drift.isEmpty else { return .stop(.noChange(reason: "in sync with \(revision)", drift: 0)) }
            let reason =
                context.isNewRevision
                ? "in sync with \(revision); \(Self.driftLine(plan)); self-heal is off, kept and reported"
                : "\(Self.driftLine(plan)); self-heal is off, reported only"
            return .stop(.noChange(reason: reason, drift: plan.drift.count))
        }
        if !context.isNewRevision && !environment.sync.selfHeal {
            // Changes a three-way plan would still make on the deployed revision (an object deleted in the
            // workspace, or a resource without a last-applied record) are drift too: reported, not applied.
            let keys = Set(plan.actions.filter { $0.type != .retain }.map(\.key)).union(plan.drift.map(\.key))
            return .stop(
                .noChange(
                    reason: "drift: \(keys.count) owned resource(s) differ; self-heal is off, reported only",
                    drift: keys.count))
        }
        guard environment.sync.mode == .auto || syncRequested else {
            return .stop(.waiting(reason: "manual sync: \(plan.summary.line)", retryAt: nextPass(after: context.now)))
        }
        return .proceed(())
    }

    /// The apply step: executes the plan with the live state it was made from.
    func apply(_ session: PlanSession, context: inout ReconcileContext) async -> ReconcileResult {
        // Under a lease: right before touching the workspace, the lease must still be this replica's.
        let store = store
        do {
            try await Blocking.run { try store.checkFence() }
        } catch {
            return .failed(ReconcileStepError(step: "checking the lease before the apply", underlying: error))
        }
        let report = await session.apply(
            concurrency: 4, afterOperation: afterOperation, beforeOperation: beforeOperation)
        // The workspace changed (or may have): products read later in this pass read it again.
        await sharedReads?.invalidate()
        context.report = report
        // What succeeded is recorded as applied even when another action failed: the next plan starts from it.
        do {
            try await LastAppliedUpdate(plan: session.plan, report: report).write(
                to: store, product: session.plan.product, target: session.plan.target)
        } catch {
            return .failed(ReconcileStepError(step: "recording what was applied", underlying: error))
        }
        guard report.succeeded else { return .failed(ReconcileFailure(description: report.summary)) }
        let plan = session.plan
        return .applied(summary: plan.summary.line + (plan.drift.isEmpty ? "" : " Kept: \(Self.driftLine(plan))."))
    }

    /// Records what a plan with nothing to apply found in sync (a record missing or out of date: a resource from
    /// before three-way plans, a revision whose changes were all in); nothing else is written.
    func recordInSync(_ plan: Plan) async -> ReconcileResult? {
        do {
            try await LastAppliedUpdate(plan: plan, report: nil).write(
                to: store, product: plan.product, target: plan.target)
            return nil
        } catch {
            return .failed(ReconcileStepError(step: "recording what is in sync as last applied", underlying: error))
        }
    }

    /// `drift: 1 owned resource(s) differ in fields the revision did not change (tables.orders:
    /// columns.region.comment, grants.analysts)`, at most five resources named.
    static func driftLine(_ plan: Plan) -> String {
        let named = plan.drift.prefix(5).map { "\($0.key): " + $0.changes.map(\.field).joined(separator: ", ") }
        let more = plan.drift.count > 5 ? "; \(plan.drift.count - 5) more" : ""
        return "drift: \(plan.drift.count) owned resource(s) differ in fields the revision did not change ("
            + named.joined(separator: "; ") + more + ")"
    }
}
