import LakegateCore

/// Where one bundle resource body is written, for tools that edit product files (`lakegate capture`).
public struct ResourceSource: Sendable {
    /// `<kind>.<key>`, e.g. `catalogs.c360`.
    public var key: String
    /// The product-relative file that declares the body.
    public var file: String
    /// Mapping keys from the document root to the body, e.g. `["resources", "catalogs", "c360"]`.
    public var path: [String]
    /// The body as written (not interpolated), with positions in ``file``.
    public var node: YAMLNode
}
