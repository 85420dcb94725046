import Foundation
import GitSource
import LakegateCore

/// Finds a blueprint from what the user typed after `--blueprint`.
///
/// - an existing directory: that directory;
/// - a git URL, Terraform style: `URL[//PATH][?ref=REF]` (`https://…`, `ssh://…`, `file://…`, `git@host:…`, or any
///   of these prefixed with `git::`), fetched into a scratch bare repository and read at REF (default: the remote's
///   default branch) below PATH;
/// - otherwise a name, looked up in each directory of `LAKEGATE_BLUEPRINT_PATH` (`:`-separated, default
///   `blueprints:Examples/blueprints`, relative to the current directory).
public enum BlueprintLocator {
    /// The search path used when `LAKEGATE_BLUEPRINT_PATH` is unset.
    public static let defaultSearchPath = "blueprints:Examples/blueprints"

    /// A git blueprint reference split into its parts.
    public struct GitReference: Sendable, Equatable {
        public var url: String
        public var path: String
        public var ref: String?
    }

    /// Parses `URL[//PATH][?ref=REF]`; nil when `text` is not a git URL.
    public static func gitReference(_ text: String) -> GitReference? {
        var rest = text
        if rest.hasPrefix("git::") { rest.removeFirst(5) }
        let schemes = ["https://", "http://", "ssh://", "file://", "git://"]
        let scheme = schemes.first { rest.hasPrefix($0) }
        guard scheme != nil || rest.hasPrefix("git@") || text.hasPrefix("git::") else { return nil }
        var ref: String?
        if let query = rest.range(of: "?ref=") {
            ref = String(rest[query.upperBound...])
            rest = String(rest[..<query.lowerBound])
        }
        var path = ""
        let searchFrom = rest.index(rest.startIndex, offsetBy: scheme?.count ?? 0)
        if let split = rest.range(of: "//", range: searchFrom..<rest.endIndex) {
            path = String(rest[split.upperBound...])
            rest = String(rest[..<split.lowerBound])
        }
        return GitReference(url: rest, path: path, ref: ref)
    }

    /// The blueprint's files. Blocking (a git blueprint is fetched into `scratch`).
    public static func locate(
        _ argument: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        scratch: URL, credentials: GitCredentials = GitCredentials()
    ) throws -> any FileSource {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
            return DirectoryFileSource(root: URL(fileURLWithPath: argument))
        }
        if let reference = gitReference(argument) {
            do {
                return try GitTreeFileSource.fetching(
                    url: reference.url, revision: reference.ref, prefix: reference.path, scratch: scratch.path,
                    credentials: credentials)
            } catch {
                throw LifecycleError("cannot fetch blueprint \(argument): \(error)")
            }
        }
        let searchPath = environment["LAKEGATE_BLUEPRINT_PATH"] ?? defaultSearchPath
        let directories = searchPath.split(separator: ":").map(String.init)
        if !argument.contains("/") {
            for directory in directories {
                let candidate = URL(fileURLWithPath: directory).appendingPathComponent(argument)
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(Blueprint.manifestFile).path)
                {
                    return DirectoryFileSource(root: candidate)
                }
            }
        }
        throw LifecycleError(
            "no blueprint '\(argument)': not a directory, not a git URL, and not found in "
                + "\(directories.joined(separator: ", ")) (LAKEGATE_BLUEPRINT_PATH)")
    }
}
