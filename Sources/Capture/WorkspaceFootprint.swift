import LakegateCore

/// Objects of a product's dev footprint that its files do not name and that the live snapshot does not hold:
/// found by capture's discovery (see `docs/capture.md`), in the same canonical shape as ``LiveResource``.
public struct WorkspaceFootprint: Sendable {
    /// Jobs that carry the product's markers, run a notebook under its bundle root, or are named with `--include`.
    public var jobs: [LiveResource] = []
    /// Notebooks and files under the bundle root's `files/` folder, and the notebooks the ``jobs`` run.
    public var files: [WorkspaceFile] = []
    /// Quality monitors on the product's tables that the files do not declare, or named with `--include`.
    public var monitors: [LiveResource] = []
    /// Shares that publish one of the product's tables, or named with `--include`.
    public var shares: [LiveResource] = []
    /// The recipients the ``shares`` grant to.
    public var recipients: [LiveResource] = []
    /// What discovery found but could not read or does not capture, one line each.
    public var notCaptured: [String] = []

    public init() {}
}
