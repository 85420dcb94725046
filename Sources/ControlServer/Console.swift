import Foundation
import LakegateCore
import Mustache
import OperatorConfig
import Reconciler
import Store

/// The read-only web console: server-rendered HTML, no JavaScript. Each page reads the controller's statuses and
/// the state store (off the cooperative pool) and renders a Mustache template into the shared layout.
public struct Console: Sendable {
    /// The audit log's verification: whether it is intact and what was checked, one line each.
    public struct AuditCheck: Sendable {
        public var intact: Bool
        public var lines: [String]

        public init(intact: Bool, lines: [String]) {
            self.intact = intact
            self.lines = lines
        }
    }

    let controller: Controller
    let store: StateStore
    let verifyAudit: @Sendable () throws -> AuditCheck
    let library: MustacheLibrary

    /// - Parameter verifyAudit: checks the audit log (the chain, and signatures and checkpoints when `serve` has
    ///   the key); by default the hash chain only.
    public init(
        controller: Controller, store: StateStore, verifyAudit: (@Sendable () throws -> AuditCheck)? = nil
    ) throws {
        self.controller = controller
        self.store = store
        self.verifyAudit =
            verifyAudit ?? {
                let result = try store.verifyAudit()
                return AuditCheck(
                    intact: result.isIntact,
                    lines: [
                        "hash chain of \(result.entryCount) entries"
                            + (result.firstBreak.map { ": broken at \($0)" } ?? " intact, head \(result.headHash)")
                    ])
            }
        library = MustacheLibrary(templates: [
            "layout": try MustacheTemplate(string: ConsoleTemplates.layout),
            "overview": try MustacheTemplate(string: ConsoleTemplates.overview),
            "product": try MustacheTemplate(string: ConsoleTemplates.product),
            "entries": try MustacheTemplate(string: ConsoleTemplates.entries),
            "audit": try MustacheTemplate(string: ConsoleTemplates.audit),
            "deliveries": try MustacheTemplate(string: ConsoleTemplates.deliveries),
        ])
    }

    /// A rendered page, or nil for a path the console does not have.
    public func page(_ path: String, user: String?, now: Date = Date()) async throws -> String? {
        let config = await controller.config
        let statuses = await controller.status()
        switch path {
        case "/console", "/console/":
            return try await overview(config: config, statuses: statuses, user: user, now: now)
        case "/console/audit":
            return try await audit(user: user, now: now)
        case "/console/deliveries":
            return try await deliveries(user: user, now: now)
        case let path where path.hasPrefix("/console/products/"):
            let name = String(path.dropFirst("/console/products/".count)).removingPercentEncoding ?? ""
            guard let product = config.products.first(where: { $0.name == name }) else { return nil }
            return try await productPage(product, config: config, statuses: statuses, user: user, now: now)
        default:
            return nil
        }
    }

    private func render(_ template: String, title: String, user: String?, _ context: [String: Any]) -> String {
        let body = library.render(context, withTemplate: template) ?? ""
        // An Optional inside `Any` would render as "nil": absent values are left out of the context instead.
        var page: [String: Any] = ["title": title, "body": body]
        if let user { page["user"] = user }
        return library.render(page, withTemplate: "layout") ?? ""
    }

    private func overview(config: OperatorConfig, statuses: [ProductStatus], user: String?, now: Date) async throws
        -> String
    {
        let byKey = Dictionary(statuses.map { ("\($0.product)/\($0.target)", $0) }, uniquingKeysWith: { a, _ in a })
        let rows: [[String: Any]] = config.products.map { product in
            let cells: [[String: Any]] = config.environments.map { environment in
                guard let status = byKey["\(product.name)/\(environment.name)"] else {
                    let included = product.environments.isEmpty || product.environments.contains(environment.name)
                    return included
                        ? ["present": true, "outcome": "unknown", "desired": "—", "deployed": "—", "age": "not yet"]
                        : ["present": false]
                }
                return [
                    "present": true, "outcome": status.outcome.rawValue,
                    "desired": Self.revision(status, desired: true),
                    "deployed": Self.revision(status, desired: false), "age": Self.age(status.lastReconciled, now: now),
                    "hasDrift": status.drift > 0, "drift": status.drift,
                ]
            }
            return ["product": product.name, "cells": cells]
        }
        let approvals: [[String: Any]] = statuses.compactMap { status in
            guard let (quorum, command) = Self.pendingApproval(status, config: config) else { return nil }
            return [
                "product": status.product, "environment": status.target, "release": status.desiredRelease ?? "",
                "quorum": quorum, "command": command,
            ]
        }
        var context: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty, "environments": config.environments.map(\.name),
            "approvals": approvals,
        ]
        try await addDeliveryCounts(&context)
        return render("overview", title: "Overview", user: user, context)
    }

    private func productPage(
        _ product: OperatorConfig.Product, config: OperatorConfig, statuses: [ProductStatus], user: String?, now: Date
    ) async throws -> String {
        let store = store
        let included = config.environments.filter {
            product.environments.isEmpty || product.environments.contains($0.name)
        }
        let (entries, plans) = try await Blocking.run {
            (
                try store.auditEntries(product: product.name),
                try included.compactMap { try store.lastPlan(product: product.name, target: $0.name) }
            )
        }
        let environments: [[String: Any]] = included.map { environment in
            var section: [String: Any] = ["name": environment.name]
            if let status = statuses.first(where: { $0.product == product.name && $0.target == environment.name }) {
                var card: [String: Any] = [
                    "outcome": status.outcome.rawValue, "message": status.message,
                    "desired": Self.revision(status, desired: true), "deployed": Self.revision(status, desired: false),
                    "age": Self.age(status.lastReconciled, now: now),
                    "hasDrift": status.drift > 0, "drift": status.drift,
                    "gates": status.gates.map {
                        ["name": $0.name, "result": $0.passed ? "passed" : "failed", "reason": $0.reason]
                    },
                ]
                if let retryAt = status.retryAt { card["retryAt"] = retryAt }
                if let (quorum, command) = Self.pendingApproval(status, config: config) {
                    card["approval"] = ["quorum": quorum, "command": command]
                }
                section["status"] = card
            }
            if let record = plans.first(where: { $0.target == environment.name }) {
                let applied = entries.last {
                    $0.target == environment.name && $0.planDigest == record.planDigest && !$0.actions.isEmpty
                }
                section["lastPlan"] = Self.planContext(record, applied: applied)
            }
            return section
        }
        let rows = Self.entryRows(entries.reversed().prefix(100))
        return render(
            "product", title: product.name, user: user,
            ["environments": environments, "entries": rows, "hasEntries": !rows.isEmpty])
    }

    private func audit(user: String?, now: Date) async throws -> String {
        let (store, verify) = (store, verifyAudit)
        let (entries, check) = try await Blocking.run { (try store.auditEntries(), Result { try verify() }) }
        let rows = Self.entryRows(entries.reversed().prefix(500))
        var context: [String: Any] = ["entries": rows, "hasEntries": !rows.isEmpty]
        switch check {
        case .success(let check):
            context["verifyResult"] = check.intact ? "intact" : "broken"
            context["verifyClass"] = check.intact ? "intact" : "broken"
            context["verifyLines"] = check.lines
        case .failure(let error):
            context["verifyResult"] = "not verified"
            context["verifyClass"] = "broken"
            context["verifyLines"] = ["\(error)"]
        }
        return render("audit", title: "Audit log", user: user, context)
    }

    private func deliveries(user: String?, now: Date) async throws -> String {
        let store = store
        let rows = try await Blocking.run { try store.deliveries(limit: 500) }.filter {
            $0.attempts > 0 && $0.state != .delivered
        }
        var context: [String: Any] = [
            "deliveries": rows.map { delivery -> [String: Any] in
                let state = delivery.state == .pending ? "retrying" : delivery.state.rawValue
                return [
                    "eventID": delivery.eventID, "kind": delivery.kind, "product": delivery.product,
                    "target": delivery.target, "provider": delivery.provider, "state": state, "stateClass": state,
                    "attempts": delivery.attempts, "lastError": delivery.lastError ?? "",
                    "next": delivery.state == .pending ? Self.time(delivery.nextAttemptAt) : "—",
                ]
            }, "hasDeliveries": !rows.isEmpty,
        ]
        try await addDeliveryCounts(&context)
        return render("deliveries", title: "Notifications", user: user, context)
    }

    private func addDeliveryCounts(_ context: inout [String: Any]) async throws {
        let store = store
        let counts = try await Blocking.run { try store.deliveryCounts() }
        context["pendingDeliveries"] = counts.byState["pending", default: 0] - counts.retrying
        context["retryingDeliveries"] = counts.retrying
        context["failedDeliveries"] = counts.byState["failed", default: 0]
    }

    /// The quorum line and the approve command of a status waiting on its approvals, else nil.
    static func pendingApproval(_ status: ProductStatus, config: OperatorConfig) -> (String, String)? {
        guard status.outcome == .waiting, let release = status.desiredRelease,
            let quorum = status.gates.first(where: { $0.name == "quorum" }), !quorum.passed,
            let product = config.products.first(where: { $0.name == status.product })
        else { return nil }
        return (quorum.reason, product.approveCommand(release: release, target: status.target))
    }

    static func entryRows<S: Sequence>(_ entries: S) -> [[String: Any]] where S.Element == AuditEntry {
        entries.map { entry in
            let good = ["applied", "noChange"].contains(entry.outcome)
            let bad = ["stalled", "failed", "tagMoved", "approvalRefused"].contains(entry.outcome)
            var row: [String: Any] = [
                "sequence": entry.sequence, "when": time(entry.finishedAt), "product": entry.product,
                "target": entry.target, "release": entry.release ?? String(entry.commit.prefix(12)),
                "outcome": entry.outcome, "outcomeClass": good ? "applied" : bad ? "failed" : "waiting",
                "approvals": entry.approvals.map(\.signer).joined(separator: ", "), "message": entry.message ?? "",
            ]
            if let actor = entry.actor { row["actor"] = actor }
            return row
        }
    }

    static func revision(_ status: ProductStatus, desired: Bool) -> String {
        let release = desired ? status.desiredRelease : status.deployedRelease
        let commit = desired ? status.desiredCommit : status.deployedCommit
        return release ?? commit.map { String($0.prefix(12)) } ?? "—"
    }

    static func time(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// "12 s ago", "5 min ago", "3 h ago", "2 d ago".
    static func age(_ iso: String, now: Date) -> String {
        guard let date = ISO8601DateFormatter().date(from: iso) else { return iso }
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds) s ago"
        case ..<3600: return "\(seconds / 60) min ago"
        case ..<86400: return "\(seconds / 3600) h ago"
        default: return "\(seconds / 86400) d ago"
        }
    }
}
