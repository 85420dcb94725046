import Foundation
import GitSource

/// A product directory inside its git repository: the work tree and the product's path below it.
public struct ProductLocation: Sendable {
    /// The work tree root.
    public var workTree: String
    /// The product directory relative to the work tree (`""` at the root, `dp/orders` in a monorepo).
    public var prefix: String

    /// Finds the repository holding `productPath`. Blocking.
    public init(productPath: String) throws {
        let repository: Repository
        do {
            repository = try Repository.discover(from: productPath)
        } catch {
            throw LifecycleError("\(productPath) is not inside a git repository: \(error)")
        }
        guard let workTree = repository.workTree else {
            throw LifecycleError("\(productPath) is in a bare repository; run in a clone with a work tree")
        }
        let root = URL(fileURLWithPath: workTree).resolvingSymlinksInPath().standardizedFileURL.path
        let product = URL(fileURLWithPath: productPath).resolvingSymlinksInPath().standardizedFileURL.path
        self.workTree = root
        self.prefix = product == root ? "" : String(product.dropFirst(root.count + 1))
    }

    /// Opens the repository.
    public func open() throws -> Repository {
        try Repository(openingAt: workTree)
    }
}

/// Where the policy files come from: `--policies DIR`, else `$LAKEGATE_POLICIES`, else `<PATH>/policies`.
public enum PolicyDirectory {
    /// The directory to use, and whether it exists.
    public static func resolve(
        explicit: String?, productPath: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (path: String, exists: Bool) {
        let path =
            explicit ?? environment["LAKEGATE_POLICIES"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: productPath).appendingPathComponent("policies").path
        var isDirectory: ObjCBool = false
        return (path, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
    }
}
