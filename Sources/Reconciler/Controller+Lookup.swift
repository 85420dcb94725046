import Foundation
import GitSource
import OperatorConfig
import Store

extension Controller {
    /// The configured product named `name` and the environment `target` it is promoted through.
    ///
    /// - Throws: ``ControllerError`` naming the configured products, or the environment it is not promoted through.
    func lookup(product name: String, target: String) throws -> (OperatorConfig.Product, OperatorConfig.Environment) {
        guard let product = config.products.first(where: { $0.name == name }) else {
            throw ControllerError(
                "no product '\(name)' in the configuration (products: "
                    + config.products.map(\.name).joined(separator: ", ") + ")")
        }
        guard let environment = config.environment(target),
            product.environments.isEmpty || product.environments.contains(target)
        else {
            throw ControllerError("product \(name) is not promoted through an environment named '\(target)'")
        }
        return (product, environment)
    }

    /// The controller's mirror of `product`'s repository, polled now (tags first seen are recorded).
    func polledMirror(of product: OperatorConfig.Product, now: Date) async throws -> GitMirror {
        var mirror = GitMirror(url: product.repo, stateDirectory: mirrorsDirectory)
        mirror.credentials = try gitCredentials(product.credentials)
        _ = try await mirror.poll(store: StoreTagObservations(store: store), now: now)
        return mirror
    }

    var mirrorsDirectory: String { URL(fileURLWithPath: config.stateDir).appendingPathComponent("mirrors").path }
}
