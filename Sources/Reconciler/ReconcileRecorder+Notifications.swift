import Foundation
import GitSource
import Governance
import LakegateCore
import Logging
import Notifications
import OperatorConfig
import Planner
import Store

/// Events come from the one place a reconcile is recorded. Audited outcomes (deployed, stalled, a tampered
/// release tag) are written with their audit entry; conditions that are not audited (awaiting approvals, a
/// failure, drift) are written with the condition they change, so an unchanged condition is sent once.
extension ReconcileRecorder {
    /// The condition families kept in `notification_conditions`.
    enum Family {
        static let approval = "approval"
        static let failure = "failure"
        static let drift = "drift"
    }

    /// An event of `kind` about this product and environment, routed to its providers; nil when no route takes it.
    func event(
        _ kind: OperatorConfig.EventKind, release: String?, commit: String?, message: String, at date: Date,
        setsStatus: Bool = true, build: (inout NotificationPayload) -> Void = { _ in }
    ) -> OutboxEvent? {
        EventFactory(notifications: notifications, product: product).event(
            kind, environment: environment.name, release: release, commit: commit, message: message, at: date,
            setsStatus: setsStatus, build: build)
    }

    /// The events written with an audit entry: `deployed` for a revision that converged, `stalled` (and `security`
    /// for a tampered release tag) for a stall.
    func auditedEvents(
        _ result: ReconcileResult, _ context: ReconcileContext, selection: ProductReconciler.Selection
    ) -> [OutboxEvent] {
        let (release, commit) = (selection.release, selection.commit.hex)
        let gates = context.gates.map(Self.payloadGates)
        switch result {
        case .applied, .noChange:
            let deployed = event(.deployed, release: release, commit: commit, message: result.message, at: context.now)
            {
                $0.approvals = selection.approvals.map { .init(tag: $0.tag, signer: $0.signer) }
                $0.plan = context.plan.map(Self.payloadPlan)
                $0.gates = gates
                $0.policyReportDigest = selection.policyReportDigest
            }
            return deployed.map { [$0] } ?? []
        case .stalled(let reason):
            var events: [OutboxEvent] = []
            let build: (inout NotificationPayload) -> Void = {
                $0.gates = gates
                $0.policyReportDigest = selection.policyReportDigest
            }
            if let stalled = event(
                .stalled, release: release, commit: commit, message: reason, at: context.now, build: build)
            {
                events.append(stalled)
            }
            if context.verdict?.securityEvent == true,
                let security = event(
                    .security, release: release, commit: commit, message: reason, at: context.now, build: build)
            {
                events.append(security)
            }
            return events
        case .waiting, .failed:
            return []
        }
    }

    /// Moves the approval, failure and drift conditions and writes the events their changes call for.
    func notifyConditions(_ result: ReconcileResult, _ context: ReconcileContext) async {
        guard notifications != nil else { return }
        var updates: [(family: String, fingerprint: String, events: @Sendable (String?) -> [OutboxEvent])] = []
        let release = context.selection?.release ?? context.desiredRelease
        let commit = context.selection?.commit.hex ?? context.verdict?.commit

        // Failure: one `failed` per episode (until a reconcile does not fail), whatever the message says.
        if case .failed = result {
            let failed = event(.failed, release: release, commit: commit, message: result.message, at: context.now) {
                $0.gates = context.gates.map(Self.payloadGates)
            }
            updates.append(("failure", "failed \(commit ?? "")", { _ in failed.map { [$0] } ?? [] }))
        } else {
            updates.append(("failure", "ok", { _ in [] }))
        }

        // Drift where self-heal is off: sent when the count or the deployed commit changes.
        if case .noChange(_, let drift) = result {
            let driftEvent =
                drift > 0
                ? event(.driftDetected, release: release, commit: commit, message: result.message, at: context.now) {
                    $0.drift = drift
                    $0.plan = context.plan.map(Self.payloadPlan)
                } : nil
            updates.append(
                (
                    Family.drift, drift > 0 ? "drift \(commit ?? "") \(drift)" : "none",
                    { _ in driftEvent.map { [$0] } ?? [] }
                ))
        }

        // Approvals: requested once per release and commit awaiting only its quorum; recorded as the count grows.
        if case .approvals = environment.follows, let verdict = context.verdict, let verdictRelease = verdict.release {
            let awaiting = Self.awaitsOnlyApprovals(verdict)
            let key = "\(verdictRelease)@\(verdict.commit ?? "")"
            let valid = verdict.quorum.valid
            let fingerprint = "\(awaiting ? "awaiting" : "other") \(key) \(valid)"
            let approvals = verdict.approvals.filter(\.valid).map {
                NotificationPayload.Approval(tag: $0.tag, signer: $0.principal ?? "")
            }
            let build: (inout NotificationPayload) -> Void = { [self] in
                $0.quorum = .init(required: verdict.quorum.required, valid: valid)
                $0.approvals = approvals
                $0.gates = context.gates.map(Self.payloadGates)
                $0.policyReportDigest = verdict.policyReportDigest
                $0.approveCommand = approveCommand(release: verdictRelease)
                $0.plan = context.plan.map(Self.payloadPlan)
            }
            let requested = event(
                .approvalRequested, release: verdictRelease, commit: verdict.commit,
                message: "\(verdictRelease) passed every gate of \(environment.name) but the approvals: "
                    + "\(valid) of \(verdict.quorum.required)", at: context.now, build: build)
            let recorded = event(
                .approvalRecorded, release: verdictRelease, commit: verdict.commit,
                message: "approval \(valid) of \(verdict.quorum.required) recorded", at: context.now,
                // The approval that completes the quorum comes with the deployment: it must not set `pending` again.
                setsStatus: awaiting, build: build)
            updates.append(
                (
                    Family.approval, fingerprint,
                    { previous in
                        let parts = previous?.split(separator: " ").map(String.init) ?? []
                        let sameKey = parts.count == 3 && parts[1] == key
                        let before = sameKey ? Int(parts[2]) ?? 0 : 0
                        if awaiting && !(sameKey && parts[0] == "awaiting") {
                            return requested.map { [$0] } ?? []
                        }
                        if sameKey && parts[0] == "awaiting" && valid > before {
                            return recorded.map { [$0] } ?? []
                        }
                        return []
                    }
                ))
        }

        let (store, product, target, now) = (store, product.name, environment.name, context.now)
        let chosen = updates
        do {
            try await Blocking.run {
                for update in chosen {
                    try store.updateCondition(
                        product: product, target: target, family: update.family, fingerprint: update.fingerprint,
                        at: now, events: update.events)
                }
            }
        } catch {
            logger?.error(
                "recording notifications failed",
                metadata: ["product": "\(product)", "target": "\(target)", "error": "\(error)"])
        }
    }

    /// Whether the verdict waits on the quorum alone: every other gate of the environment passed.
    static func awaitsOnlyApprovals(_ verdict: ReleaseVerdict) -> Bool {
        verdict.decision == .wait && !verdict.failing.isEmpty && verdict.failing.allSatisfy { $0.name == "quorum" }
    }

    /// The exact command an approver runs in a clone of the product's repository.
    func approveCommand(release: String) -> String {
        product.approveCommand(release: release, target: environment.name)
    }

    static func payloadGates(_ gates: [ProductStatus.GateVerdict]) -> [NotificationPayload.Gate] {
        gates.map { .init(name: $0.name, passed: $0.passed, reason: $0.reason) }
    }

    static func payloadPlan(_ plan: Plan) -> NotificationPayload.Plan {
        .init(summary: plan.summary.line, changes: plan.actions.map { "\($0.type.mark) \($0.key)" })
    }
}

/// Makes routed outbox events for one product.
struct EventFactory {
    let notifications: OperatorConfig.Notifications?
    let product: OperatorConfig.Product

    /// An event of `kind` routed to its providers, or nil when no route takes it (commit-status providers take
    /// only events that set a status and name a commit).
    func event(
        _ kind: OperatorConfig.EventKind, environment: String, release: String?, commit: String?, message: String,
        at date: Date, setsStatus: Bool = true, build: (inout NotificationPayload) -> Void = { _ in }
    ) -> OutboxEvent? {
        guard let notifications else { return nil }
        let providers = notifications.providers(for: kind, product: product.name, environment: environment)
            .filter { name in
                guard let provider = notifications.provider(name), provider.kind.setsCommitStatus else { return true }
                return setsStatus && kind.commitStatus != nil && commit != nil
            }
        guard !providers.isEmpty else { return nil }
        let id = UUID().uuidString.lowercased()
        var payload = NotificationPayload(
            id: id, kind: kind.rawValue, product: product.name, environment: environment, repository: product.repo,
            release: release, commit: commit, occurredAt: ISO8601DateFormatter().string(from: date), message: message)
        build(&payload)
        return OutboxEvent(
            id: id, kind: kind.rawValue, product: product.name, target: environment, payload: payload.json,
            providers: providers, createdAt: date)
    }
}
