/// One operator request to reconcile a product in an environment now, answered with the status it came to.
struct SyncRequest: Sendable {
    let product: String
    let target: String
    /// Whether a pass has started a reconcile for it: only that reconcile's status answers it.
    var taken = false
    let answer: CheckedContinuation<ProductStatus, Never>
}
