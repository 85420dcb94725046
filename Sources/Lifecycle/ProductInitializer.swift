import Descriptors
import Foundation
import GitSource
import LakegateCore

/// `lakegate init`: renders a blueprint into a new directory, checks that the result is a valid product, and
/// makes it a git repository with a first commit.
public struct ProductInitializer: Sendable {
    /// What was created.
    public struct Result: Sendable {
        public var directory: URL
        /// Paths written, relative to the directory, sorted.
        public var files: [String]
        public var commit: ObjectID
        /// The product id of the new `dataproduct.yaml`.
        public var productID: String
    }

    public var blueprint: Blueprint
    public var values: [String: String]

    public init(blueprint: Blueprint, values: [String: String]) {
        self.blueprint = blueprint
        self.values = values
    }

    /// Renders the files and validates them as a product, in memory; nothing is written.
    public func renderedProduct() throws -> (files: [String: Data], product: Product) {
        let files: [String: Data]
        do {
            files = try blueprint.render(values: values)
        } catch {
            throw LifecycleError("blueprint \(blueprint.name) (\(blueprint.source.displayName)):\n\(error)")
        }
        let source = MemoryFileSource(files: files, displayName: "blueprint \(blueprint.name)")
        let diagnostics = ProductLoader.validate(source)
        guard diagnostics.isEmpty, let product = try? ProductLoader.load(source) else {
            throw LifecycleError(
                "blueprint \(blueprint.name) produced an invalid product with these values:\n"
                    + diagnostics.map(\.description).joined(separator: "\n"))
        }
        return (files, product)
    }

    /// Writes the product into `directory` (absent or empty), then `git init` and a first commit on `main`.
    /// Blocking. On failure, whatever was written is removed again.
    public func run(
        into directory: URL, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Result {
        let (files, product) = try renderedProduct()
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let existed = manager.fileExists(atPath: directory.path, isDirectory: &isDirectory)
        if existed {
            guard isDirectory.boolValue else { throw LifecycleError("\(directory.path) exists and is not a directory") }
            let entries = try manager.contentsOfDirectory(atPath: directory.path)
            guard entries.isEmpty else {
                throw LifecycleError(
                    "\(directory.path) is not empty (\(entries.sorted().prefix(3).joined(separator: ", "))…); "
                        + "init only writes into a new or empty directory")
            }
        }
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            for (path, data) in files {
                let url = directory.appendingPathComponent(path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            let repository = try Repository(initializingWorkTreeAt: directory.path)
            let author = try GitIdentity.resolve(role: "AUTHOR", repository: repository, environment: environment)
            let committer = try GitIdentity.resolve(role: "COMMITTER", repository: repository, environment: environment)
            let message = """
                Create \(product.id) from blueprint \(blueprint.name)

                Blueprint: \(blueprint.name)

                """
            let commit = try repository.commitAll(message: message, author: author, committer: committer)
            return Result(directory: directory, files: files.keys.sorted(), commit: commit, productID: product.id)
        } catch {
            // Leave the directory as it was found.
            if existed {
                for entry in (try? manager.contentsOfDirectory(atPath: directory.path)) ?? [] {
                    try? manager.removeItem(at: directory.appendingPathComponent(entry))
                }
            } else {
                try? manager.removeItem(at: directory)
            }
            throw error
        }
    }
}
