import Descriptors
import LakegateCore

/// The selected revision's files, read once: the product loaded from the commit's tree and the `Allow-Destroy`
/// trailers of its commit message.
struct LoadedRevision: Sendable {
    var source: any FileSource
    var product: Product
    var allowDestroy: Set<String>
}
