import Foundation
import LakegateCore

/// Loads a data product from a ``FileSource``: `databricks.yml` (+ `include:`), `dataproduct.yaml`,
/// `contracts/*.odcs.yaml` and the list of files under `src/`.
public enum ProductLoader {
    /// The bundle file at the product root.
    public static let bundleFile = "databricks.yml"
    /// The product descriptor at the product root.
    public static let dataProductFile = "dataproduct.yaml"
    /// Where contracts live.
    public static let contractsDirectory = "contracts"
    /// Where notebooks and files live.
    public static let sourceDirectory = "src"

    static let topLevelKeys = ["bundle", "include", "variables", "workspace", "resources", "targets"]
    static let includedFileKeys = ["variables", "resources", "targets"]
    static let targetKeys = ["default", "mode", "workspace", "variables", "resources"]
    static let workspaceKeys = ["host", "root_path"]
    static let variableKeys = ["default", "description"]

    /// Loads and structurally checks a product; every problem found is reported together.
    public static func load(_ source: any FileSource) throws(DiagnosticList) -> Product {
        var diagnostics = DiagnosticCollector()
        let files: [String]
        do {
            files = try source.list("")
        } catch {
            throw DiagnosticList([Diagnostic(SourceLocation(path: "."), "cannot list product files: \(error)")])
        }
        let bundle = loadBundle(source, files: files, diagnostics: &diagnostics)
        let spec = loadDataProduct(source, diagnostics: &diagnostics)
        var contracts: [Contract] = []
        for path in files where isContractPath(path) {
            guard let node = parse(source, path, diagnostics: &diagnostics) else { continue }
            let contract = Contract(path: path, json: node.jsonValue, node: node)
            ContractChecker.check(contract, diagnostics: &diagnostics)
            contracts.append(contract)
        }
        var seenIDs: [String: String] = [:]
        for contract in contracts {
            guard let id = contract.id else { continue }
            if let other = seenIDs[id] {
                diagnostics.add(
                    contract.node.pair("id")?.value.location ?? SourceLocation(path: contract.path),
                    "contract id '\(id)' is also used by \(other)")
            } else {
                seenIDs[id] = contract.path
            }
        }
        for path in files where path.hasPrefix(sourceDirectory + "/") {
            if let data = try? source.read(path), data.isEmpty {
                diagnostics.add(SourceLocation(path: path), "file is empty")
            }
        }
        try diagnostics.throwIfAny()
        guard let bundle, let spec else {
            throw DiagnosticList([Diagnostic(SourceLocation(path: bundleFile), "product could not be loaded")])
        }
        return Product(
            bundle: bundle, dataProduct: spec.0, dataProductJSON: spec.1, contracts: contracts,
            sourceFiles: files.filter { $0.hasPrefix(sourceDirectory + "/") }, fileSource: source)
    }

    /// Loads the product and renders `target` (or every target when nil); returns all problems found.
    public static func validate(_ source: any FileSource, target: String? = nil) -> [Diagnostic] {
        let product: Product
        do {
            product = try load(source)
        } catch {
            return error.diagnostics
        }
        guard let target else { return product.validateAllTargets() }
        do {
            _ = try product.render(target: target)
            return []
        } catch {
            return error.diagnostics
        }
    }

    static func isContractPath(_ path: String) -> Bool {
        path.hasPrefix(contractsDirectory + "/") && (path.hasSuffix(".odcs.yaml") || path.hasSuffix(".odcs.yml"))
    }

    static func parse(_ source: any FileSource, _ path: String, diagnostics: inout DiagnosticCollector) -> YAMLNode? {
        let data: Data
        do {
            data = try source.read(path)
        } catch {
            diagnostics.add(SourceLocation(path: path), "cannot read file: \(error)")
            return nil
        }
        do {
            return try YAMLParser.parse(data, path: path)
        } catch {
            diagnostics.add(error)
            return nil
        }
    }

    static func loadDataProduct(
        _ source: any FileSource, diagnostics: inout DiagnosticCollector
    ) -> (DataProductSpec, JSONValue)? {
        guard source.exists(dataProductFile) else {
            diagnostics.add(SourceLocation(path: dataProductFile), "missing product descriptor \(dataProductFile)")
            return nil
        }
        guard let node = parse(source, dataProductFile, diagnostics: &diagnostics) else { return nil }
        guard let reader = YAMLMappingReader(node, context: "dataproduct", diagnostics: &diagnostics) else {
            return nil
        }
        guard let id = reader.string("id", required: true, diagnostics: &diagnostics) else { return nil }
        if !NameRules.isProductID(id) {
            diagnostics.add(
                reader["id"]!.location,
                "invalid product id '\(id)': use lower-case letters, digits and '-' (at most 64, starting with a letter)"
            )
        }
        return (DataProductSpec(id: id, node: node), node.jsonValue)
    }
}
