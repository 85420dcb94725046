import Descriptors
import Foundation
import LakegateCore
import Planner

/// Reverse engineering, the pure part: given a loaded product, its rendered desired state for one target and the
/// live snapshot of that target, computes the edits to the product files that make the desired state match the
/// workspace, keeping everything the workspace does not hold (descriptions of the contract, quality rules,
/// business terms, comments in the files, `${…}` references that still resolve to the live value).
///
/// No I/O besides reading product files through the product's file source; notebook contents are passed in.
public struct ProductCapture {
    let product: Product
    let target: String
    let desired: DesiredState
    let live: LiveSnapshot
    let notebookContents: [String: Data]
    /// What discovery found outside the snapshot (jobs, notebooks and files, monitors, shares).
    let footprint: WorkspaceFootprint
    /// Edited documents by product-relative path (YAML files as JSON, written back by ``YAMLTextPatch``).
    var documents: [String: JSONValue] = [:]
    /// Documents as read, to tell what changed.
    var originals: [String: JSONValue] = [:]
    /// Files written whole (Genie space JSON, notebooks).
    var wholeFiles: [String: Data] = [:]
    /// What the files cannot express, or what capture does not handle, one line each.
    var notCaptured: [String] = []
    /// Things worth knowing about what was written, one line each.
    var notes: [String] = []
    /// Column references whose business term changed: (`table.column`, old term, new term).
    var termChanges: [(column: String, old: String?, new: String?)] = []
    /// Column references whose mask function changed: (`table.column`, short function name or nil).
    var maskChanges: [(column: String, function: String?)] = []
    /// Tables whose row filter changed: (table, short function name or nil, input columns).
    var filterChanges: [(table: String, function: String?, columns: [JSONValue])] = []
    /// Live grants by table name, for tables whose grants differ.
    var tableGrants: [String: [String: Set<String>]] = [:]
    /// New files by path, as first written (new contracts); their documents are edited like existing files.
    var newFiles: [String: String] = [:]
    /// New contracts' paths by id.
    var newContracts: [String: String] = [:]
    /// Tables captured from ``LiveSnapshot/unclaimedTables``.
    var newTables: Set<String> = []
    /// Genie spaces whose live `serialized_space` the next apply changes to follow the contracts, as it will be.
    var contractFollowUps: [String: JSONValue] = [:]
    /// Keys given to the spaces captured from ``LiveSnapshot/unclaimedGenieSpaces``, by space id.
    var newGenieSpaces: [String: String] = [:]
    /// Live objects the files now describe that they did not name before (see ``CaptureResult/captured``).
    var captured: [LiveResource] = []

    /// - Parameters:
    ///   - notebookContents: the exported source of each notebook (by resource key) whose digest differs.
    ///   - footprint: the objects discovery found that neither the files nor the snapshot hold.
    public init(
        product: Product, target: String, desired: DesiredState, live: LiveSnapshot,
        notebookContents: [String: Data] = [:], footprint: WorkspaceFootprint = WorkspaceFootprint()
    ) {
        self.product = product
        self.target = target
        self.desired = desired
        self.live = live
        self.notebookContents = notebookContents
        self.footprint = footprint
    }

    /// Computes the file edits.
    ///
    /// - Throws: ``CaptureError`` or `DiagnosticList` when a product file cannot be read or edited.
    public mutating func run() throws -> CaptureResult {
        for resource in desired.resources {
            guard let liveResource = live.resources[resource.key] else {
                if live.absent.contains(resource.key) {
                    notCaptured.append(
                        "\(resource.key) (\(resource.name)) is in the files but not in the workspace: left as it is")
                }
                continue
            }
            let wanted = Normalizer.normalize(resource.fields, kind: resource.kind)
            let have = Normalizer.normalize(liveResource.fields, kind: resource.kind)
            let differing = Set(wanted.keys).union(have.keys).filter { wanted[$0] != have[$0] }.sorted()
            guard !differing.isEmpty else { continue }
            switch resource.kind {
            case .genieSpace:
                continue  // after the contracts: the renderer fills in descriptions from them
            case .catalog, .schema, .volume, .qualityMonitor:
                try captureBundleResource(resource, differing: differing, desired: wanted, live: have)
            case .job:
                try captureJob(resource, differing: differing, desired: wanted, live: have)
            case .table:
                try captureTable(resource, differing: differing, desired: wanted, live: have)
            case .notebook:
                captureNotebook(resource)
            case .function:
                try captureFunction(resource, differing: differing, desired: wanted, live: have)
            case .share:
                try captureShare(resource, differing: differing, live: have)
            case .recipient:
                notCaptured.append(
                    "\(resource.key): \(differing.joined(separator: ", ")) differ; capture does not edit "
                        + "\(resource.kind.rawValue) (they come from dataproduct.yaml): edit it by hand")
            }
        }
        for key in live.resources.keys.sorted() where desired.resource(forKey: key) == nil {
            notCaptured.append("\(key) (\(live.resources[key]!.name)) is owned in the workspace but not in the files")
        }
        notCaptured += footprint.notCaptured
        try captureNewTables()
        try captureNewFunctions()
        try applyAccessChanges()
        try captureNewVolumes()
        try captureNewJobs()
        captureWorkspaceFiles()
        try captureNewMonitors()
        try captureNewShares()
        try captureGenieSpaces()
        try captureNewGenieSpaces()
        return try result()
    }

    // MARK: Documents

    /// The document at `path` as JSON (YAML files), loaded once.
    mutating func document(_ path: String) throws -> JSONValue {
        if let loaded = documents[path] { return loaded }
        let text = try newFiles[path].map { Data($0.utf8) } ?? product.fileSource.read(path)
        let node = try YAMLParser.parse(text, path: path)
        originals[path] = node.jsonValue
        documents[path] = node.jsonValue
        return node.jsonValue
    }

    mutating func set(_ path: String, _ steps: [PathStep], to value: JSONValue?) throws {
        documents[path] = try document(path).setting(steps, to: value)
    }

    /// The edits: every document that changed, patched into its text; every whole file that differs.
    func result() throws -> CaptureResult {
        var edits: [FileEdit] = []
        for (path, document) in documents where document != originals[path] || newFiles[path] != nil {
            let before = try newFiles[path] == nil ? product.fileSource.read(path) : nil
            let text = try YAMLTextPatch.apply(
                text: newFiles[path] ?? String(decoding: before ?? Data(), as: UTF8.self), path: path, to: document)
            edits.append(FileEdit(path: path, before: before, after: Data(text.utf8)))
        }
        for (path, data) in wholeFiles {
            let before = product.fileSource.exists(path) ? try product.fileSource.read(path) : nil
            if before != data { edits.append(FileEdit(path: path, before: before, after: data)) }
        }
        return CaptureResult(
            edits: edits.sorted { $0.path < $1.path }, notCaptured: notCaptured, notes: notes,
            contractFollowUps: contractFollowUps, newGenieSpaces: newGenieSpaces, captured: captured)
    }

    // MARK: Notebooks

    mutating func captureNotebook(_ resource: Resource) {
        guard let source = resource.fields["source"]?.stringValue, let content = notebookContents[resource.key] else {
            notCaptured.append("\(resource.key): the notebook differs but its source could not be exported")
            return
        }
        wholeFiles[source] = content
    }
}
