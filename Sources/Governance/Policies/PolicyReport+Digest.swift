import LakegateCore

extension PolicyReport {
    /// `sha256:<hex>` over the canonical JSON of ``jsonValue``: the same policies on the same product and previous
    /// release always give the same digest.
    public var digest: String {
        "sha256:" + SHA256Digest.hex(of: jsonValue.canonicalJSON)
    }
}
