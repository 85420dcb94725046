import Foundation
import GitSource
import Governance
import LakegateCore

/// The governance repository at the commit its configured ref named during one pass, with every policy set
/// the environments use loaded from that commit (or the reason it could not be).
struct GovernanceSnapshot: Sendable {
    /// The governance commit the policy sets were read at; recorded in the audit log.
    let commit: ObjectID
    /// Policy set name → its validated policies, or why the set cannot be used.
    let sets: [String: Result<[Policy], PolicySetError>]

    /// Resolves `ref` in the mirror at `mirrorPath` and loads `<path>/<set>` for each of `sets`. Blocking.
    static func load(mirrorPath: String, repository url: String, ref: String, path: String, sets: Set<String>)
        throws -> GovernanceSnapshot
    {
        let repository = try Repository(openingAt: mirrorPath)
        let commit: ObjectID
        do {
            commit = try repository.peelToCommit(try repository.resolve(ref))
        } catch {
            throw ControllerError("governance repository \(url): ref '\(ref)' not found: \(error)")
        }
        let source = try GitTreeFileSource(repositoryPath: mirrorPath, revision: commit.hex)
        var loaded: [String: Result<[Policy], PolicySetError>] = [:]
        for set in sets {
            let folder = (path.split(separator: "/") + set.split(separator: "/")).filter { $0 != "." }
                .joined(separator: "/")
            guard (try? source.list(folder)) != nil else {
                loaded[set] = .failure(
                    PolicySetError(
                        set: set,
                        reason: "policy set '\(set)' not found: the governance repository \(url) has no folder "
                            + "'\(folder)' at \(ref) (\(commit.short))"))
                continue
            }
            do {
                loaded[set] = .success(try PolicyLoader.load(from: source, directory: folder))
            } catch {
                loaded[set] = .failure(
                    PolicySetError(
                        set: set,
                        reason: "invalid policy files in policy set '\(set)' at \(commit.short): "
                            + error.diagnostics.prefix(5).map(\.description).joined(separator: "; ")))
            }
        }
        return GovernanceSnapshot(commit: commit, sets: loaded)
    }
}

/// A policy set that cannot be evaluated: missing from the governance repository or with invalid files.
struct PolicySetError: Error, Sendable, CustomStringConvertible {
    var set: String
    var reason: String

    var description: String { reason }
}
