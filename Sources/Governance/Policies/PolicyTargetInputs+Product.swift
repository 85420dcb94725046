import Descriptors
import LakegateCore

extension PolicyTargetInputs {
    /// The inputs of `target` for a loaded product; `previous` is the last release, when known.
    ///
    /// Throws the rendering diagnostics when the product (or the previous release) does not render.
    public init(product: Product, target: String, previous: Product? = nil, plan: JSONValue? = nil)
        throws(DiagnosticList)
    {
        let state = try product.render(target: target)
        var prev: PreviousRelease?
        if let previous, previous.targets.contains(target) {
            prev = PreviousRelease(
                dataProduct: previous.dataProductJSON,
                contracts: previous.contracts.map { ContractInput(path: $0.path, json: $0.json) },
                state: try previous.render(target: target))
        }
        var env = product.bundleJSON["targets"]?[target]?.objectValue ?? [:]
        env["name"] = .string(target)
        self.init(
            productID: product.id, target: target, env: .object(env), dataProduct: product.dataProductJSON,
            contracts: product.contracts.map { ContractInput(path: $0.path, json: $0.json) }, state: state,
            previous: prev, plan: plan)
    }
}
