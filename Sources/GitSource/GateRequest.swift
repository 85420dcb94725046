import Foundation

/// A gates check as the command line states it: the config's `gates` section overridden by flags.
public struct GateRequest: Sendable {
    public var repository: String
    public var target: String
    public var release: String
    public var allowedSigners: String?
    public var revoked: String?
    public var quorum: Int?
    /// `KEY[=REGEX]` arguments.
    public var requiredTrailers: [String]
    public var configFile: String?
    public var stateDirectory: String

    public init(
        repository: String, target: String, release: String, allowedSigners: String? = nil, revoked: String? = nil,
        quorum: Int? = nil, requiredTrailers: [String] = [], configFile: String? = nil,
        stateDirectory: String = ".lakegate"
    ) {
        self.repository = repository
        self.target = target
        self.release = release
        self.allowedSigners = allowedSigners
        self.revoked = revoked
        self.quorum = quorum
        self.requiredTrailers = requiredTrailers
        self.configFile = configFile
        self.stateDirectory = stateDirectory
    }

    /// The effective policy: config first, flags override.
    public func policy() throws -> GatePolicy {
        var policy = try configFile.map { try GatesConfig(contentsOf: $0) }?.policy(for: target) ?? GatePolicy()
        if let allowedSigners { policy.allowedSigners = try AllowedSigners(contentsOf: allowedSigners) }
        if let revoked { policy.revoked = try RevocationList(contentsOf: revoked) }
        if let quorum { policy.quorum = quorum }
        if !requiredTrailers.isEmpty {
            policy.requiredTrailers = requiredTrailers.map(GatePolicy.RequiredTrailer.init(argument:))
        }
        return policy
    }

    /// Opens the repository, records its tags and evaluates every gate. Blocking.
    public func run(now: Date = Date()) throws -> GateReport {
        let repository = try Repository(openingAt: self.repository)
        let evaluator = GateEvaluator(
            repository: repository, repositoryKey: URL(fileURLWithPath: self.repository).standardizedFileURL.path,
            store: JSONTagObservationStore(stateDirectory: stateDirectory), policy: try policy())
        return try evaluator.evaluate(target: target, release: release, now: now)
    }
}
