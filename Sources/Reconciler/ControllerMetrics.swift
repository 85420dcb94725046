import Metrics
import Notifications

/// The controller's Prometheus-facing metrics, created on the factory the caller chooses.
///
/// Taking the factory as a value (rather than the global `MetricsSystem`) lets tests read metrics without
/// bootstrapping the process-wide system, which may happen only once.
public struct ControllerMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// The `# HELP` text of every metric Lakegate exposes, by name (swift-metrics cannot carry it).
    public static let help: [String: String] = [
        "lakegate_reconciles_total": "Reconciles of a product in a target, by outcome.",
        "lakegate_reconcile_duration_seconds": "How long one reconcile of a product in a target took.",
        "lakegate_git_requests_total": "Git remote requests (ls-remote, fetch).",
        "lakegate_plan_actions_total": "Planned actions, by action and resource kind.",
        "lakegate_gate_verdicts_total": "Gate verdicts, by gate and whether it passed.",
        "lakegate_drift_resources": "Owned resources that differ from the desired state at the last reconcile.",
        "lakegate_api_requests_total": "Databricks API requests, by endpoint group and HTTP status (0: no response).",
        "lakegate_webhook_deliveries_total":
            "Webhook deliveries by result (accepted, duplicate, rejected, too_large, busy, unwatched).",
        "lakegate_workspace_errors_total": "Failed Databricks live reads, by reason (unauthenticated, timeout, ...).",
        "lakegate_config_reloads_total": "Reloads of lakegate.yaml on SIGHUP, by result (applied, refused).",
        "lakegate_drift_checks_total":
            "Drift checks of a workspace, by how (audit_log, audit_log_failed, full_read, resync).",
        "lakegate_live_reads_total": "Reconciles by live read: full, or skipped (unchanged revision, no drift logged).",
    ].merging(NotificationDispatcher.help) { ours, _ in ours }

    /// Product and target are labels: both come from lakegate.yaml, so their number is bounded by the
    /// configuration (products × environments), never by input from outside.
    func recordReconcile(product: String, target: String, outcome: ReconcileOutcome, seconds: Double) {
        Counter(
            label: "lakegate_reconciles_total",
            dimensions: [("product", product), ("target", target), ("outcome", outcome.rawValue)], factory: factory
        )
        .increment()
        Metrics.Timer(
            label: "lakegate_reconcile_duration_seconds", dimensions: [("product", product), ("target", target)],
            factory: factory
        )
        .recordNanoseconds(Int64(seconds * 1_000_000_000))
    }

    func recordGitRequest(_ type: String) {
        Counter(label: "lakegate_git_requests_total", dimensions: [("type", type)], factory: factory).increment()
    }

    func recordPlanAction(_ action: String, kind: String) {
        Counter(
            label: "lakegate_plan_actions_total", dimensions: [("action", action), ("kind", kind)], factory: factory
        )
        .increment()
    }

    func recordGates(_ gates: [ProductStatus.GateVerdict]) {
        for gate in gates {
            Counter(
                label: "lakegate_gate_verdicts_total",
                dimensions: [("gate", gate.name), ("passed", gate.passed ? "true" : "false")], factory: factory
            ).increment()
        }
    }

    func recordDrift(product: String, target: String, count: Int) {
        Gauge(
            label: "lakegate_drift_resources", dimensions: [("product", product), ("target", target)], factory: factory
        )
        .record(count)
    }

    /// A live read that failed, by reason (`unauthenticated`, `permissionDenied`, `timeout`, ...).
    func recordWorkspaceError(reason: String) {
        Counter(label: "lakegate_workspace_errors_total", dimensions: [("reason", reason)], factory: factory)
            .increment()
    }

    /// One Databricks API request: `group` is the endpoint family (e.g. `unity-catalog`), `status` the HTTP
    /// status or 0 when no response came.
    public func recordAPIRequest(group: String, status: Int) {
        Counter(
            label: "lakegate_api_requests_total", dimensions: [("group", group), ("status", "\(status)")],
            factory: factory
        )
        .increment()
    }

    /// A SIGHUP reload of lakegate.yaml: `applied` or `refused`.
    public func recordConfigReload(_ result: String) {
        Counter(label: "lakegate_config_reloads_total", dimensions: [("result", result)], factory: factory).increment()
    }

    /// One drift check of a workspace: `audit_log`, `audit_log_failed` (a full read instead), `full_read`
    /// (`sync.auditLog: false`) or `resync` (`sync.resyncInterval` ran out).
    func recordDriftCheck(_ result: String) {
        Counter(label: "lakegate_drift_checks_total", dimensions: [("result", result)], factory: factory).increment()
    }

    /// One reconcile that read the workspace (`full`) or repeated its last result without reading (`skipped`).
    func recordLiveRead(skipped: Bool) {
        Counter(
            label: "lakegate_live_reads_total", dimensions: [("read", skipped ? "skipped" : "full")], factory: factory
        )
        .increment()
    }
}
