import LakegateCore

/// Interpolates the bundle resources of one target on demand, so that `${resources.<kind>.<key>.<field>}`
/// can refer to another resource's resolved field; reference cycles are reported.
final class BundleResolver {
    /// Merged (target overrides applied) resources by `kind.key`.
    let resources: [String: BundleResource]
    var variables: [String: YAMLNode] = [:]
    var builtins: [String: String] = [:]
    var unset: Set<String> = []
    private(set) var resolved: [String: YAMLNode] = [:]
    /// For each `kind.key`, the resources its fields refer to.
    private(set) var references: [String: Set<String>] = [:]
    private var visiting: [String] = []
    var diagnostics = DiagnosticCollector()

    init(resources: [String: BundleResource]) {
        self.resources = resources
    }

    /// An interpolator bound to this resolver.
    func makeInterpolator() -> Interpolator {
        var interpolator = Interpolator { [unowned self] kind, key, path, location in
            self.field(kind: kind, key: key, path: path, at: location)
        }
        interpolator.variables = variables
        interpolator.builtins = builtins
        interpolator.unset = unset
        return interpolator
    }

    /// The interpolated body of `kind.key`.
    func resolve(_ fullKey: String) -> YAMLNode? {
        if let done = resolved[fullKey] { return done }
        guard let resource = resources[fullKey] else { return nil }
        visiting.append(fullKey)
        var interpolator = makeInterpolator()
        // A local collector: interpolation re-enters this resolver for referenced resources.
        var local = DiagnosticCollector()
        let node = interpolator.interpolate(resource.node, diagnostics: &local)
        diagnostics.add(local.list)
        visiting.removeLast()
        references[fullKey] = interpolator.referenced.subtracting([fullKey])
        resolved[fullKey] = node
        return node
    }

    private func field(
        kind: ResourceKind, key: String, path: [String], at location: SourceLocation
    ) -> Result<YAMLNode, Diagnostic> {
        let fullKey = "\(kind.rawValue).\(key)"
        guard resources[fullKey] != nil else {
            let candidates = resources.keys.filter { $0.hasPrefix(kind.rawValue + ".") }
                .map { String($0.dropFirst(kind.rawValue.count + 1)) }.sorted()
            return .failure(
                Diagnostic(
                    location,
                    "unknown resource '\(fullKey)' in '${resources.\(fullKey).\(path.joined(separator: "."))}'"
                        + EditDistance.hint(for: key, among: candidates)))
        }
        if let start = visiting.firstIndex(of: fullKey) {
            let cycle = (visiting[start...] + [fullKey]).joined(separator: " → ")
            return .failure(Diagnostic(location, "dependency cycle: \(cycle)"))
        }
        guard var node = resolve(fullKey) else {
            return .failure(Diagnostic(location, "unknown resource '\(fullKey)'"))
        }
        for (index, part) in path.enumerated() {
            if let next = node[part] {
                node = next
            } else if let items = node.sequence, let i = Int(part), items.indices.contains(i) {
                node = items[i]
            } else {
                let known = node.mapping?.map(\.key) ?? []
                let field = path[...index].joined(separator: ".")
                return .failure(
                    Diagnostic(
                        location,
                        "resource '\(fullKey)' has no field '\(field)'" + EditDistance.hint(for: part, among: known)))
            }
        }
        return .success(node)
    }
}
