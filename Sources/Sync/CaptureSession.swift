import Capture
import Databricks
import Descriptors
import Foundation
import GitSource
import LakegateCore
import Logging
import Store

/// `lakegate capture`: loads and renders a product, reads the live state of one target, exports the notebooks
/// that differ, and computes the file edits that bring the product files in line with the workspace.
public struct CaptureSession: Sendable {
    /// The product directory.
    public let productDirectory: URL
    /// The edits and what could not be captured.
    public let result: CaptureResult
    /// What `lakegate plan` would still show after the edits, as plan lines; empty when the capture is complete.
    public let remaining: [String]
    /// Live reads that failed: what they would have shown is not captured.
    public let readFailures: [String]

    /// Reads the workspace and computes the capture; writes nothing.
    ///
    /// - Throws: `DiagnosticList` for product errors, ``CaptureError``, client and inventory errors otherwise.
    public static func make(
        productDirectory: URL, target: String, stateDirectory: URL, config: DatabricksConfig, logger: Logger,
        includes: [CaptureInclude] = []
    ) async throws -> CaptureSession {
        let inventory = try await Blocking.run { try InventoryStore(stateDirectory: stateDirectory) }
        return try await make(
            productDirectory: productDirectory, target: target, inventory: inventory, config: config, logger: logger,
            includes: includes)
    }

    /// Reads the workspace and computes the capture with an open inventory (shared PostgreSQL state); writes
    /// nothing.
    ///
    /// - Parameter includes: objects named with `--include`, captured although discovery would not find them.
    public static func make(
        productDirectory: URL, target: String, inventory store: InventoryStore, config: DatabricksConfig,
        logger: Logger, includes: [CaptureInclude] = []
    ) async throws -> CaptureSession {
        let product = try ProductLoader.load(DirectoryFileSource(root: productDirectory))
        let desired = try product.render(target: target)
        let inventory = try await Blocking.run {
            try store.entries(product: desired.product, target: desired.target)
        }
        let client = try DatabricksClient(config: config, logger: logger)
        let reader = LiveStateReader(client: client)
        var snapshot = await reader.read(desired: desired, inventory: inventory, unclaimedTables: true)
        // Spaces that any product of this state owns are not new: only the others are candidates.
        let ownedSpaces = try await Blocking.run {
            try store.entries(targets: [desired.target]).filter { $0.kind == .genieSpace }.map(\.liveID)
        }
        let genie = await reader.unclaimedGenieSpaces(
            scopes: Set(desired.resources.filter { $0.kind == .catalog || $0.kind == .schema }.map(\.name)),
            known: Set(snapshot.resources.values.filter { $0.kind == .genieSpace }.map(\.id) + ownedSpaces))
        snapshot.unclaimedGenieSpaces = genie.spaces
        snapshot.failures += genie.failures
        snapshot.complete = snapshot.complete && genie.failures.isEmpty
        var notebooks: [String: Data] = [:]
        for resource in desired.resources where resource.kind == .notebook {
            guard let live = snapshot.resources[resource.key], live.fields["sha256"] != resource.fields["sha256"]
            else { continue }
            notebooks[resource.key] = Data(try await client.exportWorkspaceObject(path: live.name))
        }
        let footprint = try await CaptureDiscovery(
            client: client, product: product, target: target, desired: desired, snapshot: snapshot,
            includes: includes
        ).run()
        var capture = ProductCapture(
            product: product, target: target, desired: desired, live: snapshot, notebookContents: notebooks,
            footprint: footprint)
        let result = try capture.run()
        let remaining: [String]
        do {
            remaining = try result.remainingChanges(
                product: product, target: target, live: snapshot, inventory: inventory)
        } catch {
            // The edits are still shown; that the plan afterwards could not be checked is a remaining difference.
            remaining = ["the edited product could not be planned: \(error)"]
        }
        return CaptureSession(
            productDirectory: productDirectory, result: result, remaining: remaining, readFailures: snapshot.failures)
    }

    /// Writes the edited files into the product directory.
    public func write() throws {
        for edit in result.edits {
            let url = productDirectory.appendingPathComponent(edit.path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try edit.after.write(to: url, options: .atomic)
        }
    }

    /// Commits the edited files in the git repository that holds the product directory; returns the commit id.
    public func commit(message: String) async throws -> String {
        let directory = productDirectory.standardizedFileURL.path
        let paths = result.edits.map(\.path)
        return try await Blocking.run {
            let repository = try Repository.discover(from: directory)
            guard let workTree = repository.workTree else {
                throw CaptureError("\(repository.path) is a bare repository: there is no work tree to commit")
            }
            let root = URL(fileURLWithPath: workTree).resolvingSymlinksInPath().path
            let product = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
            let prefix = product == root ? "" : String(product.dropFirst(root.count + 1)) + "/"
            // As git stores a message: ending with a newline.
            let text = message.hasSuffix("\n") ? message : message + "\n"
            return try repository.commitFiles(paths.map { prefix + $0 }, message: text).hex
        }
    }
}
