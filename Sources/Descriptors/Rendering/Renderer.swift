import LakegateCore

/// Resolves one target of a ``Product`` into a ``DesiredState``.
struct Renderer {
    let product: Product
    let target: String
    var diagnostics = DiagnosticCollector()
    var resources: [String: Resource] = [:]
    /// Where each rendered resource was declared, for duplicate-name messages.
    var origins: [String: SourceLocation] = [:]
    /// Resource keys by `kind:name`, to report two resources with one name.
    var keysByName: [String: String] = [:]
    var isDevelopment = false
    var rootPath = ""
    /// Interpolates files a resource points at (Genie space JSON), bound to this target.
    var fileInterpolator: Interpolator?
    /// Set when an output port could not be resolved: its tables are missing, so references to them are not
    /// reported again.
    var portsIncomplete = false
    /// Declared variables without a value for this target (reported once, where declared).
    var unsetVariables: Set<String> = []

    init(product: Product, target: String) {
        self.product = product
        self.target = target
    }

    mutating func render() throws(DiagnosticList) -> DesiredState {
        let resolver = try makeResolver()
        for fullKey in resolver.resources.keys.sorted() {
            guard let node = resolver.resolve(fullKey), let source = resolver.resources[fullKey] else { continue }
            renderBundleResource(source, node: node)
        }
        diagnostics.add(resolver.diagnostics.list)

        var interpolator = resolver.makeInterpolator()
        let dataProduct = interpolator.interpolate(product.dataProduct.node, diagnostics: &diagnostics)
        diagnostics.add(resolver.diagnostics.list)
        renderDataProduct(dataProduct, bundleReferences: interpolator.referenced)

        // Bundle-level references become dependencies too.
        for (fullKey, referenced) in resolver.references where resources[fullKey] != nil {
            let extra = referenced.filter { resources[$0] != nil }
            resources[fullKey]!.dependsOn = Array(Set(resources[fullKey]!.dependsOn).union(extra)).sorted()
        }
        checkDependencyCycles()
        try diagnostics.throwIfAny()
        return DesiredState(product: product.id, target: target, resources: Array(resources.values))
    }

    /// The resolver of this target's bundle resources (target overrides merged), variables and built-ins.
    mutating func makeResolver() throws(DiagnosticList) -> BundleResolver {
        let bundle = product.bundle
        guard let targetSpec = bundle.targets[target] else {
            let location =
                bundle.targets.values.map(\.location).min() ?? SourceLocation(path: ProductLoader.bundleFile)
            throw DiagnosticList([
                Diagnostic(
                    SourceLocation(path: location.path),
                    "unknown target '\(target)'" + EditDistance.hint(for: target, among: bundle.targets.keys.sorted())
                        + "; targets: \(bundle.targets.keys.sorted().joined(separator: ", "))")
            ])
        }
        isDevelopment = targetSpec.mode == "development"

        var merged: [String: BundleResource] = [:]
        for (kind, entries) in bundle.resources {
            for (key, resource) in entries { merged["\(kind.rawValue).\(key)"] = resource }
        }
        for (kind, entries) in targetSpec.resources {
            for (key, override) in entries {
                let fullKey = "\(kind.rawValue).\(key)"
                if var base = merged[fullKey] {
                    base.node = base.node.merged(with: override.node)
                    merged[fullKey] = base
                } else {
                    merged[fullKey] = override
                }
            }
        }
        let resolver = BundleResolver(resources: merged)
        resolver.builtins = builtins(targetSpec)
        resolver.variables = variables(targetSpec, builtins: resolver.builtins)
        resolver.unset = unsetVariables
        fileInterpolator = resolver.makeInterpolator()
        return resolver
    }

    private mutating func builtins(_ targetSpec: BundleTarget) -> [String: String] {
        var values = ["bundle.name": product.bundleName, "bundle.target": target]
        var workspace: YAMLNode? = product.bundle.workspace
        if let override = targetSpec.workspace {
            workspace = workspace.map { $0.merged(with: override) } ?? override
        }
        var interpolator = Interpolator { _, _, _, location in
            .failure(Diagnostic(location, "workspace settings cannot refer to resources"))
        }
        interpolator.builtins = values
        if let host = workspace?["host"] {
            values["workspace.host"] = interpolator.interpolate(host, diagnostics: &diagnostics).text
        }
        var root = "/Workspace/Shared/.bundle/\(product.bundleName)/\(target)"
        if let path = workspace?["root_path"] {
            let resolved = interpolator.interpolate(path, diagnostics: &diagnostics).text ?? root
            if resolved.hasPrefix("/") {
                root = resolved
            } else {
                diagnostics.add(
                    path.location,
                    "'workspace.root_path' must be an absolute workspace path such as /Workspace/Shared/…, found '\(resolved)'"
                )
            }
        }
        values["workspace.root_path"] = root
        values["workspace.file_path"] = root + "/files"
        rootPath = root
        return values
    }

    private mutating func variables(_ targetSpec: BundleTarget, builtins: [String: String]) -> [String: YAMLNode] {
        var unset: Set<String> = []
        defer { unsetVariables = unset }
        let declared = product.bundle.variables
        var raw: [String: YAMLNode] = [:]
        for (name, variable) in declared { raw[name] = variable.defaultValue }
        for pair in targetSpec.variables {
            guard declared[pair.key] != nil else {
                diagnostics.add(
                    pair.keyLocation,
                    "target '\(target)' sets undeclared variable '\(pair.key)'"
                        + EditDistance.hint(for: pair.key, among: declared.keys.sorted()))
                continue
            }
            raw[pair.key] = pair.value
        }
        unset = Set(declared.keys.filter { raw[$0] == nil })
        for (name, variable) in declared.sorted(by: { $0.key < $1.key }) where raw[name] == nil {
            diagnostics.add(
                variable.location,
                "variable '\(name)' has no value for target '\(target)': give it a default or set targets.\(target).variables.\(name)"
            )
        }
        // Variables may refer to bundle values and to other variables; resolve in rounds, up to a fixed point.
        var resolved: [String: YAMLNode] = [:]
        var pending = raw
        for _ in 0...pending.count {
            var progressed = false
            for (name, node) in pending.sorted(by: { $0.key < $1.key }) {
                let refs = (node.text.flatMap { Interpolator.references(in: $0) } ?? []).map(\.0)
                let needs = refs.compactMap { $0.hasPrefix("var.") ? String($0.dropFirst(4)) : nil }
                guard needs.allSatisfy({ resolved[$0] != nil || raw[$0] == nil }) else { continue }
                var interpolator = Interpolator { _, _, _, location in
                    .failure(Diagnostic(location, "variables cannot refer to resources"))
                }
                interpolator.variables = resolved
                interpolator.unset = unset
                interpolator.builtins = builtins
                resolved[name] = interpolator.interpolate(node, diagnostics: &diagnostics)
                pending[name] = nil
                progressed = true
            }
            if !progressed { break }
        }
        for (name, node) in pending.sorted(by: { $0.key < $1.key }) {
            diagnostics.add(
                node.location, "dependency cycle: variable '\(name)' refers to itself through other variables")
        }
        return resolved
    }

    /// Adds a rendered resource, reporting a second resource with the same key or the same full name.
    mutating func add(_ resource: Resource, at location: SourceLocation) {
        if let earlier = origins[resource.key] {
            diagnostics.add(location, "\(resource.key) is already defined at \(earlier.path):\(earlier.line)")
            return
        }
        let nameKey = "\(resource.kind.rawValue):\(resource.name)"
        if resource.kind != .job && resource.kind != .genieSpace, let clash = keysByName[nameKey] {
            diagnostics.add(
                location,
                "\(resource.kind.singular) '\(resource.name)' is also rendered by \(clash) (\(origins[clash]!.path):\(origins[clash]!.line))"
            )
            return
        }
        keysByName[nameKey] = resource.key
        resources[resource.key] = resource
        origins[resource.key] = location
    }

    /// Ownership marker tags for this product and target.
    var markers: [String: JSONValue] {
        [OwnershipMarker.productKey: .string(product.id), OwnershipMarker.targetKey: .string(target)]
    }

    private mutating func checkDependencyCycles() {
        // A cycle through `${resources…}` references is already reported where the reference is written.
        guard !diagnostics.diagnostics.contains(where: { $0.message.hasPrefix("dependency cycle") }) else { return }
        var state: [String: Int] = [:]
        var stack: [String] = []
        var reported = false
        func visit(
            _ key: String, _ resources: [String: Resource], _ origins: [String: SourceLocation],
            _ diagnostics: inout DiagnosticCollector
        ) {
            guard !reported else { return }
            state[key] = 1
            stack.append(key)
            for next in resources[key]?.dependsOn ?? [] where resources[next] != nil {
                if state[next] == 1 {
                    let start = stack.firstIndex(of: next)!
                    let cycle = (stack[start...] + [next]).joined(separator: " → ")
                    diagnostics.add(
                        origins[next] ?? SourceLocation(path: ProductLoader.bundleFile), "dependency cycle: \(cycle)")
                    reported = true
                    return
                }
                if state[next] == nil { visit(next, resources, origins, &diagnostics) }
            }
            stack.removeLast()
            state[key] = 2
        }
        for key in resources.keys.sorted() where state[key] == nil {
            visit(key, resources, origins, &diagnostics)
        }
    }
}
