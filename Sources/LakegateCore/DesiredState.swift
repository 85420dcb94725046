/// The resolved desired state of one product for one target: the output of rendering.
public struct DesiredState: Sendable, Hashable {
    /// The product id from `dataproduct.yaml`.
    public var product: String
    /// The bundle target (`dev`, `qa`, `prod`).
    public var target: String
    /// Resources sorted by apply order, then key.
    public var resources: [Resource]

    public init(product: String, target: String, resources: [Resource]) {
        self.product = product
        self.target = target
        self.resources = resources.sorted { ($0.kind.applyOrder, $0.key) < ($1.kind.applyOrder, $1.key) }
    }

    /// The resource with `key`, if any.
    public func resource(forKey key: String) -> Resource? {
        resources.first { $0.key == key }
    }

    /// The document without its digest, in canonical form: what the digest is computed over.
    public var canonicalBody: String {
        String(decoding: canonicalBodyBytes, as: UTF8.self)
    }

    /// ``canonicalBody`` as UTF-8 bytes.
    var canonicalBodyBytes: [UInt8] {
        JSONValue.object([
            "product": .string(product),
            "target": .string(target),
            "resources": .array(resources.map(\.jsonValue)),
        ]).canonicalJSONBytes
    }

    /// `sha256:<hex>` over ``canonicalBody``.
    public var digest: String {
        "sha256:" + SHA256Digest.hex(of: canonicalBodyBytes)
    }

    /// `{"product", "target", "digest", "resources"}` — what `lakegate render` prints.
    public var jsonValue: JSONValue {
        .object([
            "product": .string(product),
            "target": .string(target),
            "digest": .string(digest),
            "resources": .array(resources.map(\.jsonValue)),
        ])
    }
}
