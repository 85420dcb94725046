import Metrics

/// The controller's Prometheus-facing metrics, created on the factory the caller chooses.
///
/// Taking the factory as a value (rather than the global `MetricsSystem`) lets tests read metrics without
/// bootstrapping the process-wide system, which may happen only once.
public struct ControllerMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func recordReconcile(outcome: ReconcileOutcome, seconds: Double) {
        Counter(label: "lakegate_reconciles_total", dimensions: [("outcome", outcome.rawValue)], factory: factory)
            .increment()
        Metrics.Timer(label: "lakegate_reconcile_duration_seconds", factory: factory)
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

    func recordAPIRequests(_ count: Int) {
        Counter(label: "lakegate_api_requests_total", factory: factory).increment(by: count)
    }
}
