import LakegateCore

/// A loaded data product: the bundle, `dataproduct.yaml`, its ODCS contracts and the files under `src/`.
///
/// Loading checks structure; ``render(target:)`` resolves one target into a ``DesiredState``.
public struct Product: Sendable {
    /// The product id from `dataproduct.yaml`.
    public var id: String
    /// The bundle name (`bundle.name` in `databricks.yml`).
    public var bundleName: String
    /// Target names, sorted.
    public var targets: [String]
    /// The target marked `default: true`, if any.
    public var defaultTarget: String?
    /// `dataproduct.yaml` as JSON (before interpolation).
    public var dataProductJSON: JSONValue
    /// The bundle (`databricks.yml` with its includes merged) as JSON (before interpolation).
    public var bundleJSON: JSONValue
    /// The ODCS contracts under `contracts/`, sorted by path.
    public var contracts: [Contract]
    /// Every file under `src/`, relative to the product root, sorted.
    public var sourceFiles: [String]

    /// Contract files that could not be parsed (already reported); references to contracts are then not checked.
    var unreadableContracts: [String] = []
    let bundle: Bundle
    let dataProduct: DataProductSpec
    /// Where the product files were read from.
    public let fileSource: any FileSource

    init(
        bundle: Bundle, dataProduct: DataProductSpec, dataProductJSON: JSONValue, contracts: [Contract],
        sourceFiles: [String], fileSource: any FileSource
    ) {
        self.id = dataProduct.id
        self.bundleName = bundle.name
        self.targets = bundle.targets.keys.sorted()
        self.defaultTarget = bundle.targets.values.filter(\.isDefault).map(\.name).sorted().first
        self.dataProductJSON = dataProductJSON
        self.bundleJSON = bundle.json
        self.contracts = contracts
        self.sourceFiles = sourceFiles
        self.bundle = bundle
        self.dataProduct = dataProduct
        self.fileSource = fileSource
    }

    /// The contract whose ODCS `id` or path is `reference`.
    public func contract(_ reference: String) -> Contract? {
        contracts.first { $0.id == reference || $0.path == reference }
    }

    /// Renders the resolved desired state of `target`; every problem found is reported together.
    public func render(target: String) throws(DiagnosticList) -> DesiredState {
        var renderer = Renderer(product: self, target: target)
        return try renderer.render()
    }

    /// Renders every target and returns all problems found (empty when the product is valid).
    public func validateAllTargets() -> [Diagnostic] {
        var collector = DiagnosticCollector()
        for target in targets {
            do {
                _ = try render(target: target)
            } catch {
                collector.add(error)
            }
        }
        return collector.list.diagnostics
    }
}
