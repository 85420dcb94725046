import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore

/// The dry run a release is frozen on: the product as committed, rendered for each target, and the policy sets of
/// those targets evaluated against it (with the previous release as `prev`). `release` records its digests;
/// `approve` recomputes them to show the approver whether they still hold.
public struct ReleaseEvaluation: Sendable {
    public var product: Product
    /// The rendered desired state per target.
    public var states: [String: DesiredState]
    public var report: PolicyReport
    /// `sha256:` over the policy files (path and content) that were evaluated.
    public var policySetDigest: String
    /// The release `prev` was read from, if any.
    public var previousRelease: String?

    /// The record `release` writes into the tag message.
    public var record: ReleaseRecord {
        ReleaseRecord(
            product: product.id, states: states.mapValues(\.digest), policyTargets: report.targets.map(\.target),
            policySet: policySetDigest, policyReport: report.digest)
    }

    /// Loads the product at `commit` below `prefix`, renders `targets` and evaluates `policies`. Blocking.
    ///
    /// - Parameters:
    ///   - release: the release tag name (`v1.2.0`, `dp/orders/v1.2.0`): the previous release is the newest tag with
    ///     the same prefix and a lower version.
    ///   - targets: the targets to check; those the bundle lacks are an error.
    public static func evaluate(
        repositoryPath: String, commit: ObjectID, prefix: String, release: String, policies: any FileSource,
        targets: [String]
    ) throws -> ReleaseEvaluation {
        let source = try GitTreeFileSource(repositoryPath: repositoryPath, revision: commit.hex, prefix: prefix)
        let diagnostics = ProductLoader.validate(source)
        guard diagnostics.isEmpty else {
            throw LifecycleError(
                "the product at \(source.displayName) is not valid:\n"
                    + diagnostics.map(\.description).joined(separator: "\n"))
        }
        let product = try ProductLoader.load(source)
        for target in targets where !product.targets.contains(target) {
            throw LifecycleError(
                "databricks.yml has no target '\(target)' (targets: \(product.targets.joined(separator: ", ")))")
        }
        let (previous, previousName) = try previousRelease(
            repositoryPath: repositoryPath, release: release, prefix: prefix)
        let loaded: [Policy]
        do {
            loaded = try PolicyLoader.load(from: policies)
        } catch {
            throw LifecycleError("policies at \(policies.displayName):\n\(error)")
        }
        var inputs: [PolicyTargetInputs] = []
        var states: [String: DesiredState] = [:]
        for target in targets {
            let input = try PolicyTargetInputs(product: product, target: target, previous: previous)
            states[target] = input.state
            inputs.append(input)
        }
        return ReleaseEvaluation(
            product: product, states: states, report: PolicyEvaluator(policies: loaded).check(inputs),
            policySetDigest: try policySetDigest(policies), previousRelease: previousName)
    }

    /// The previous release of `release` (``Repository/previousRelease(of:)``), loaded at its commit; nil when
    /// there is none or it holds no loadable product (the product is new).
    static func previousRelease(
        repositoryPath: String, release: String, prefix: String
    ) throws -> (Product?, String?) {
        let repository = try Repository(openingAt: repositoryPath)
        guard let last = try repository.previousRelease(of: release) else { return (nil, nil) }
        let source = try GitTreeFileSource(repositoryPath: repositoryPath, revision: last.object.hex, prefix: prefix)
        return ((try? ProductLoader.load(source)), last.name)
    }

    /// `sha256:` over `path NUL sha256(content) LF` of every policy file, sorted by path.
    static func policySetDigest(_ source: any FileSource) throws -> String {
        var text = ""
        for path in try source.list("") where path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
            text += path + "\0" + SHA256Digest.hex(of: try source.read(path)) + "\n"
        }
        return "sha256:" + SHA256Digest.hex(of: text)
    }
}
