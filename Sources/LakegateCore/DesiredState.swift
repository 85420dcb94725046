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
    ///
    /// The canonical form of `{"product", "resources", "target"}` (keys in that order), with the resources
    /// written in slices on every core: with thousands of tables this was a sixth of a render.
    var canonicalBodyBytes: [UInt8] {
        var out = Array(#"{"product":"#.utf8)
        JSONValue.string(product).writeCanonicalJSON(into: &out)
        out += #","resources":["#.utf8
        let sliceSize = Swift.max(64, resources.count / 8)
        let slices = stride(from: 0, to: resources.count, by: sliceSize).map {
            resources[$0..<Swift.min($0 + sliceSize, resources.count)]
        }
        let written = slices.concurrentMap { slice in
            var bytes: [UInt8] = []
            for resource in slice {
                if !bytes.isEmpty { bytes.append(UInt8(ascii: ",")) }
                resource.jsonValue.writeCanonicalJSON(into: &bytes)
            }
            return bytes
        }
        for (index, bytes) in written.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += bytes
        }
        out += #"],"target":"#.utf8
        JSONValue.string(target).writeCanonicalJSON(into: &out)
        out.append(UInt8(ascii: "}"))
        return out
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
