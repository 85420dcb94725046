import Databricks
import Foundation
import LakegateCore
import Logging
import OperatorConfig
import Store
import Sync

/// The second clock: per workspace, a drift check every `sync.driftInterval` (the git poll is the first). A
/// product in sync whose revision did not change is not read between checks; a check reads the workspace's
/// change log once and forgets the in-sync record of every product it names, which the pass then reads again.
extension Controller {
    /// Runs the drift checks due at `now`, before the pass builds its reconciles. Fails closed: a change log that
    /// cannot be read forgets every product of its workspace, so each is read in full.
    func checkDrift(now: Date) async {
        var byHost: [String: [OperatorConfig.Environment]] = [:]
        // Only environments some product is promoted through: the others have nothing to check.
        let used = config.environments.filter { environment in
            config.products.contains { $0.environments.isEmpty || $0.environments.contains(environment.name) }
        }
        for environment in used { byHost[environment.workspace.host, default: []].append(environment) }
        for (host, environments) in byHost.sorted(by: { $0.key < $1.key }) {
            let targets = Set(environments.map(\.name))
            guard var clock = driftClocks[host] else {
                // First pass on this workspace: nothing is known in sync yet, every product is read in full.
                driftClocks[host] = DriftClock(checkedAt: now, fullReadAt: now)
                forget(targets: targets)
                continue
            }
            let resync = Self.seconds(environments.map(\.sync.resyncInterval).min() ?? .seconds(21600))
            let interval = Self.seconds(environments.map(\.sync.driftInterval).min() ?? .seconds(600))
            if now.timeIntervalSince(clock.fullReadAt) >= resync {
                forget(targets: targets)
                // The events seen stay remembered: the next check must not read their products once more.
                clock.checkedAt = now
                clock.fullReadAt = now
                driftClocks[host] = clock
                metrics.recordDriftCheck("resync")
                logger.info("drift check: resync, every product read in full", metadata: ["workspace": "\(host)"])
                continue
            }
            guard now.timeIntervalSince(clock.checkedAt) >= interval else { continue }
            let withoutLog = environments.filter { !$0.sync.auditLog }
            if !withoutLog.isEmpty {
                forget(targets: Set(withoutLog.map(\.name)))
                metrics.recordDriftCheck("full_read")
            }
            let withLog = environments.filter(\.sync.auditLog)
            guard let first = withLog.first else {
                clock.checkedAt = now
                driftClocks[host] = clock
                continue
            }
            let logTargets = Set(withLog.map(\.name))
            let delay = Self.seconds(withLog.map(\.sync.auditDelay).max() ?? .seconds(3600))
            let since = clock.checkedAt.addingTimeInterval(-delay)
            do {
                let (events, warehouse) = try await readChangeLog(first, since: since, warehouseID: clock.warehouseID)
                clock.warehouseID = warehouse
                let fresh = events.filter { clock.seen[$0.id] == nil }
                let identifiers = ChangeLogMatcher.identifiers(fresh)
                let store = store
                let entries =
                    identifiers.isEmpty
                    ? [] : try await Blocking.run { try store.inventory.entries(targets: logTargets) }
                let pairs = ChangeLogMatcher.pairs(named: identifiers, entries: entries)
                for key in pairs { inSync[key] = nil }
                for event in fresh { clock.seen[event.id] = event.time }
                // The next query starts `delay` before now: older events cannot come back, so need not be kept.
                let horizon = now.addingTimeInterval(-delay)
                clock.seen = clock.seen.filter { $0.value >= horizon }
                clock.checkedAt = now
                metrics.recordDriftCheck("audit_log")
                logger.log(
                    level: pairs.isEmpty ? .debug : .info, "drift check: change log read",
                    metadata: [
                        "workspace": "\(host)", "events": "\(fresh.count)",
                        "reread": "\(pairs.sorted().joined(separator: ", "))",
                    ])
            } catch {
                forget(targets: logTargets)
                clock.checkedAt = now
                metrics.recordDriftCheck("audit_log_failed")
                logger.warning(
                    "drift check: the change log could not be read; every product is read in full",
                    metadata: ["workspace": "\(host)", "error": "\(error)"])
            }
            driftClocks[host] = clock
        }
    }

    /// Forgets the in-sync record of every product in `targets`: their next reconcile reads the workspace.
    func forget(targets: Set<String>) {
        guard !targets.isEmpty else { return }
        inSync = inSync.filter { key, _ in
            !targets.contains(String(key[key.index(after: key.lastIndex(of: "/") ?? key.startIndex)...]))
        }
    }

    /// The audit events since `since`, on the given warehouse or the environment's (else the first listed).
    nonisolated func readChangeLog(
        _ environment: OperatorConfig.Environment, since: Date, warehouseID: String?
    ) async throws -> ([AuditEvent], String) {
        let databricks = try databricksConfig(for: environment)
        let client = try connector.client(
            config: databricks, logger: logger,
            observer: { [metrics] in metrics.recordAPIRequest(group: $0, status: $1) })
        var warehouse = warehouseID ?? databricks.warehouseID
        if warehouse == nil {
            warehouse = try await client.listWarehouses().first?["id"]?.stringValue
        }
        guard let warehouse else {
            throw ControllerError("no SQL warehouse to read system.access.audit with")
        }
        return (try await client.auditEvents(since: since, warehouseID: warehouse), warehouse)
    }
}

extension Controller {
    /// Moves every drift clock by `seconds` (negative: into the past), as if that much time had passed the other
    /// way: how tests reach a drift or resync interval without waiting for it.
    func moveClocks(by seconds: Double) {
        for (host, var clock) in driftClocks {
            clock.checkedAt = clock.checkedAt.addingTimeInterval(seconds)
            clock.fullReadAt = clock.fullReadAt.addingTimeInterval(seconds)
            driftClocks[host] = clock
        }
    }
}
