import LakegateCore

/// `dataproduct.yaml` as loaded: the id (never interpolated) and the raw node, read per target by the renderer.
struct DataProductSpec: Sendable {
    var id: String
    var node: YAMLNode
}
