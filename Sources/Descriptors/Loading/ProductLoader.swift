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
    /// The largest file the Workspace import API takes (10 MB per request).
    public static let workspaceImportLimit = 10 << 20

    static let topLevelKeys = ["bundle", "include", "variables", "workspace", "resources", "targets"]
    static let includedFileKeys = ["variables", "resources", "targets"]
    static let targetKeys = ["default", "mode", "workspace", "variables", "resources"]
    static let workspaceKeys = ["host", "root_path"]
    static let variableKeys = ["default", "description"]

    /// Loads and structurally checks a product; every problem found is reported together.
    public static func load(_ source: any FileSource) throws(DiagnosticList) -> Product {
        let (product, diagnostics) = loadCollecting(source)
        try diagnostics.throwIfAny()
        guard let product else {
            throw DiagnosticList([Diagnostic(SourceLocation(path: bundleFile), "product could not be loaded")])
        }
        return product
    }

    /// Loads the product and renders `target` (or every target when nil); returns all problems found, sorted.
    ///
    /// Rendering runs even when some files have errors, as long as the bundle and the descriptor could be
    /// read, so that one run reports everything.
    public static func validate(_ source: any FileSource, target: String? = nil) -> [Diagnostic] {
        var (product, diagnostics) = loadCollecting(source)
        if let product {
            if let target {
                do {
                    _ = try product.render(target: target)
                } catch {
                    diagnostics.add(error)
                }
            } else {
                diagnostics.add(DiagnosticList(product.validateAllTargets()))
            }
        }
        return diagnostics.list.diagnostics
    }

    /// Keys of the bundle that Lakegate accepts but does not act on (`run_as`, `presets`, `lifecycle`, …), one
    /// warning each, sorted; they never make a product invalid.
    public static func warnings(_ source: any FileSource) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return loadCollecting(source).1.warnings.filter { seen.insert($0).inserted }
            .sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    /// The product (nil when the bundle or the descriptor could not be read) and every problem found.
    static func loadCollecting(_ source: any FileSource) -> (Product?, DiagnosticCollector) {
        var diagnostics = DiagnosticCollector()
        let files: [String]
        do {
            files = try source.list("")
        } catch let error as FileSourceError {
            diagnostics.add(SourceLocation(path: error.path), error.reason)
            return (nil, diagnostics)
        } catch {
            diagnostics.add(SourceLocation(path: "."), "cannot list product files: \(error)")
            return (nil, diagnostics)
        }
        let bundle = loadBundle(source, files: files, diagnostics: &diagnostics)
        let spec = loadDataProduct(source, diagnostics: &diagnostics)
        var contracts: [Contract] = []
        var unreadable: [String] = []
        for (path, loaded) in loadContracts(source, paths: files.filter(isContractPath)) {
            diagnostics.add(loaded.diagnostics)
            if let contract = loaded.contract {
                contracts.append(contract)
            } else {
                unreadable.append(path)
            }
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
        // Checked before anything is written: a file that cannot be read or imported fails validation, not an
        // apply halfway through.
        for path in files where path.hasPrefix(sourceDirectory + "/") {
            do {
                let data = try source.read(path)
                if data.isEmpty {
                    diagnostics.add(SourceLocation(path: path), "file is empty")
                } else if data.count > workspaceImportLimit {
                    diagnostics.add(
                        SourceLocation(path: path),
                        "file is \(data.count) bytes, over the \(workspaceImportLimit) bytes (10 MB) the Workspace "
                            + "import API accepts")
                }
            } catch let error as FileSourceError {
                diagnostics.add(SourceLocation(path: path), error.reason)
            } catch {
                diagnostics.add(SourceLocation(path: path), "cannot read file: \(error)")
            }
        }
        guard let bundle, let spec else { return (nil, diagnostics) }
        var product = Product(
            bundle: bundle, dataProduct: spec.0, dataProductJSON: spec.1, contracts: contracts,
            sourceFiles: files.filter { $0.hasPrefix(sourceDirectory + "/") }, fileSource: source)
        product.unreadableContracts = unreadable
        return (product, diagnostics)
    }

    /// Reads the contracts at `paths` in order, then parses, converts and checks them on every core: they are
    /// independent, and with thousands of tables they are most of the work. Results keep the order of `paths`.
    static func loadContracts(
        _ source: any FileSource, paths: [String]
    ) -> [(String, (contract: Contract?, diagnostics: DiagnosticList))] {
        // Reads stay on this thread: a file source (a git tree) need not allow concurrent reads.
        let files = paths.map { path in (path, Result { try source.read(path) }) }
        let loaded = files.concurrentMap { path, data -> (contract: Contract?, diagnostics: DiagnosticList) in
            var diagnostics = DiagnosticCollector()
            let contract = parse(data, path, diagnostics: &diagnostics).map { node in
                let contract = Contract(path: path, json: node.jsonValue, node: node)
                ContractChecker.check(contract, diagnostics: &diagnostics)
                return contract
            }
            return (contract, DiagnosticList(diagnostics.diagnostics))
        }
        return Array(zip(paths, loaded))
    }

    static func isContractPath(_ path: String) -> Bool {
        path.hasPrefix(contractsDirectory + "/") && (path.hasSuffix(".odcs.yaml") || path.hasSuffix(".odcs.yml"))
    }

    static func parse(_ source: any FileSource, _ path: String, diagnostics: inout DiagnosticCollector) -> YAMLNode? {
        parse(Result { try source.read(path) }, path, diagnostics: &diagnostics)
    }

    static func parse(
        _ read: Result<Data, any Error>, _ path: String, diagnostics: inout DiagnosticCollector
    ) -> YAMLNode? {
        let data: Data
        do {
            data = try read.get()
        } catch let error as FileSourceError {
            diagnostics.add(SourceLocation(path: path), error.reason)
            return nil
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
