import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore

/// `lakegate release`: freezes the committed product as an annotated (optionally SSH-signed) release tag, after
/// a clean-tree check, validation, and a dry run of the policy sets of the release targets.
public struct Releaser: Sendable {
    /// The release targets whose policy sets are checked by default.
    public static let defaultTargets = ["qa", "prod"]

    public var productPath: String
    /// `v1.2.0`, `1.2.0` (becomes `v1.2.0`) or a prefixed name such as `dp/orders/v1.2.0`.
    public var version: String
    public var policies: String
    /// The signing key (nil with ``sign`` uses git's `user.signingkey`), the message and the environment git's
    /// identity comes from.
    public var authoring: TagAuthoring
    /// Sign the tag (implied by a key).
    public var sign: Bool
    public var targets: [String]
    /// The gates of the environments the release goes to (from `lakegate.yaml`), by name: the release is refused
    /// unless it passes their trailer and contract-integrity gates, as serve will judge them.
    public var gates: [String: GateRules] = [:]
    /// The policy set each of those environments names in the governance repository (absent for `none`).
    public var policySets: [String: PolicySet] = [:]

    public init(
        productPath: String, version: String, policies: String, key: String? = nil, sign: Bool = false,
        message: String? = nil, targets: [String] = Releaser.defaultTargets,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.productPath = productPath
        self.version = version
        self.policies = policies
        self.authoring = TagAuthoring(key: key, message: message, environment: environment)
        self.sign = sign
        self.targets = targets
    }

    /// The outcome: the evaluation (always) and the tag (when the release was made).
    public struct Result: Sendable {
        public var tag: String
        public var commit: ObjectID
        public var evaluation: ReleaseEvaluation
        /// The tag object; nil when the release was refused by policy or by a gate.
        public var tagObject: ObjectID?
        /// The governance verdict of each configured environment on the release to be.
        public var verdicts: [ReleaseVerdict] = []
        public var signed: Bool
        public var message: String
    }

    /// The tag name for `version`: a bare semantic version gets the `v` prefix.
    public static func tagName(for version: String) throws -> String {
        if SemanticVersion(version) != nil { return "v" + version }
        guard SemanticVersion.split(tag: version) != nil else {
            throw LifecycleError("'\(version)' is not a release name: expected [PREFIX]v<semver>, e.g. v1.2.0")
        }
        return version
    }

    /// Checks, evaluates and tags. Blocking. Throws ``LifecycleError`` for a dirty tree, an existing tag, an
    /// invalid product or unreadable policies; a blocking policy result returns a result without tag object.
    public func run(now: Date = Date()) throws -> Result {
        let tag = try Self.tagName(for: version)
        let location = try ProductLocation(productPath: productPath)
        let repository = try location.open()
        if try repository.reference("refs/tags/\(tag)") != nil {
            throw LifecycleError("tag \(tag) already exists; a release is never moved — pick a new version")
        }
        let dirty = try repository.uncommittedChanges()
        guard dirty.isEmpty else {
            let listed = dirty.prefix(10).joined(separator: "\n  ")
            throw LifecycleError(
                "the work tree has uncommitted changes; commit or stash them first (a release freezes a commit):\n  "
                    + listed + (dirty.count > 10 ? "\n  … and \(dirty.count - 10) more" : ""))
        }
        let commit: ObjectID
        do {
            commit = try repository.peelToCommit(try repository.resolve("HEAD"))
        } catch {
            throw LifecycleError("the repository has no commit yet")
        }
        let policySource = DirectoryFileSource(root: URL(fileURLWithPath: policies))
        let evaluation = try ReleaseEvaluation.evaluate(
            repositoryPath: location.workTree, commit: commit, prefix: location.prefix, release: tag,
            policies: policySource, targets: targets)
        let text = authoring.text(
            title: "Release \(tag)", trailers: evaluation.record.trailerLines.joined(separator: "\n") + "\n")
        var result = Result(
            tag: tag, commit: commit, evaluation: evaluation, tagObject: nil, signed: false, message: text)
        result.verdicts = try verdicts(tag: tag, commit: commit, evaluation: evaluation, location: location)
        guard evaluation.report.passed, result.verdicts.allSatisfy(\.passed) else { return result }
        let signer = try (sign || authoring.key != nil) ? authoring.signer(in: repository) : nil
        result.tagObject = try authoring.createTag(
            tag, target: commit, text: text, signer: signer, in: repository, now: now)
        result.signed = signer != nil
        return result
    }

    /// Serve's trailer, validity, contract-integrity and policy-set gates of each configured environment, on the
    /// release to be: its range (previous release, HEAD], its contracts against the previous release's, and the
    /// environment's policy set from the governance repository with the previous release as `prev`.
    func verdicts(tag: String, commit: ObjectID, evaluation: ReleaseEvaluation, location: ProductLocation) throws
        -> [ReleaseVerdict]
    {
        guard !gates.isEmpty else { return [] }
        let repository = try location.open()
        let range = try repository.releaseRange(of: tag, commit: commit)
        let (previous, previousName) = try ReleaseEvaluation.previousRelease(
            repositoryPath: location.workTree, release: tag, prefix: location.prefix)
        func contracts(_ product: Product) -> [String: JSONValue] {
            Dictionary(product.contracts.map { ($0.path, $0.json) }, uniquingKeysWith: { a, _ in a })
        }
        var references: [ReleaseFacts.ContractSet] = []
        if let previousName {
            references.append(
                previous.map { .init(release: previousName, contracts: contracts($0)) }
                    ?? .init(release: previousName, contracts: [:], problem: "its product files cannot be loaded"))
        }
        return gates.sorted { $0.key < $1.key }.map { target, rules in
            var facts = ReleaseFacts(
                target: target, release: tag, commit: commit.hex, range: range,
                contracts: .init(
                    candidate: .init(release: tag, contracts: contracts(evaluation.product)), references: references))
            facts.prospective = true
            if let set = policySets[target] {
                do {
                    facts.policies = .loaded(
                        set: set.name, commit: set.commit, policies: set.policies,
                        inputs: try PolicyTargetInputs(product: evaluation.product, target: target, previous: previous))
                } catch {
                    facts.policies = .unusable(set: set.name, reason: "\(error)")
                }
            }
            var rules = rules
            rules.quorum = 0
            rules.requires = []
            return ReleaseGates.judge(facts, rules: rules)
        }
    }
}
