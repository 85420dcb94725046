import LakegateCore

extension Product {
    /// `dataproduct.yaml` as parsed, not interpolated.
    public var dataProductNode: YAMLNode { dataProduct.node }

    /// The base declaration of bundle resource `key` (`catalogs.c360`), if the bundle declares one.
    public func resourceSource(_ key: String) -> ResourceSource? {
        guard let (kind, local) = Self.split(key), let resource = bundle.resources[kind]?[local] else { return nil }
        return ResourceSource(
            key: key, file: resource.file, path: ["resources", kind.rawValue, local], node: resource.node)
    }

    /// The override of bundle resource `key` in `targets.<target>.resources`, if the target has one.
    public func targetOverrideSource(_ key: String, target: String) -> ResourceSource? {
        guard let (kind, local) = Self.split(key), let resource = bundle.targets[target]?.resources[kind]?[local] else {
            return nil
        }
        return ResourceSource(
            key: key, file: resource.file, path: ["targets", target, "resources", kind.rawValue, local],
            node: resource.node)
    }

    /// Whether `target` has `mode: development` (schedules paused, jobs tagged `dev`).
    public func isDevelopment(target: String) -> Bool {
        bundle.targets[target]?.mode == "development"
    }

    /// The workspace folder `target` deploys to (`workspace.root_path`, resolved; notebooks go under its `files/`),
    /// nil when the bundle does not resolve for `target`.
    public func workspaceRootPath(target: String) -> String? {
        var renderer = Renderer(product: self, target: target)
        guard (try? renderer.makeResolver()) != nil else { return nil }
        return renderer.rootPath
    }

    /// The settings a bundle job may declare (others are refused by the renderer).
    public static var jobSettingKeys: [String] { Renderer.jobKeys }

    /// The settings a task of a bundle job may declare.
    public static var jobTaskKeys: [String] { Renderer.taskKeys }

    /// `node` (from any product file) with `${…}` references resolved for `target`; the tree keeps its shape and
    /// positions. References that cannot be resolved are left as written.
    public func interpolate(_ node: YAMLNode, target: String) -> YAMLNode {
        var renderer = Renderer(product: self, target: target)
        guard let resolver = try? renderer.makeResolver() else { return node }
        var interpolator = resolver.makeInterpolator()
        var ignored = DiagnosticCollector()
        return interpolator.interpolate(node, diagnostics: &ignored)
    }

    /// A product-relative path for `path` written in `file` (relative to that file's folder), or nil when it
    /// leaves the product.
    public static func productPath(_ path: String, relativeTo file: String) -> String? {
        Renderer.productPath(path, relativeTo: file)
    }

    private static func split(_ key: String) -> (ResourceKind, String)? {
        guard let dot = key.firstIndex(of: "."), let kind = ResourceKind(rawValue: String(key[..<dot])) else {
            return nil
        }
        return (kind, String(key[key.index(after: dot)...]))
    }
}
