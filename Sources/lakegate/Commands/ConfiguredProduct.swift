import Foundation
import Governance
import Logging
import OperatorConfig
import Prometheus
import Reconciler
import Store

/// A product of `lakegate.yaml` and serve's verdict on it, for the commands that read the operator config.
enum ConfiguredProduct {
    /// `explicit`, else the configuration's only product.
    static func name(_ explicit: String?, in config: OperatorConfig, path: String) throws -> String {
        if let explicit { return explicit }
        guard config.products.count == 1 else {
            throw ConfiguredProductError(
                "\(path) lists \(config.products.count) products: name one with --product ("
                    + config.products.map(\.name).joined(separator: ", ") + ")")
        }
        return config.products[0].name
    }

    /// The verdict `serve` reaches for `product` in `target` (for `release` when given), from the controller's
    /// state directory and mirrors.
    static func verdict(config: OperatorConfig, product: String, target: String, release: String?) async throws
        -> ReleaseVerdict
    {
        try await controller(config).verdict(product: product, target: target, release: release)
    }

    /// A controller over the configuration's state directory and mirrors, for one question, not a loop.
    static func controller(_ config: OperatorConfig) throws -> Controller {
        var logger = Logger(label: "lakegate.gates")
        logger.logLevel = .critical
        return Controller(
            config: config, store: try StateDirectoryOption.open(config: config, auditSigner: nil),
            metrics: ControllerMetrics(factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())),
            logger: logger)
    }
}

/// A product that cannot be picked from the configuration.
struct ConfiguredProductError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
