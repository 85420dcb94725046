/// What one environment requires of a release: the gates of its `lakegate.yaml` entry.
public struct GateRules: Sendable, Equatable {
    /// Which commits a required trailer is checked on.
    public enum TrailerScope: String, Sendable, Equatable, CaseIterable {
        /// Every first-parent commit of (previous release, release].
        case range
        /// The release commit only.
        case release
    }

    /// A trailer every commit in scope must carry, with a value matching `pattern` in full.
    public struct RequiredTrailer: Sendable, Equatable {
        public var key: String
        public var pattern: String
        public var scope: TrailerScope

        public init(key: String, pattern: String = ".+", scope: TrailerScope = .range) {
            self.key = key
            self.pattern = pattern
            self.scope = scope
        }
    }

    public var requiredTrailers: [RequiredTrailer]
    /// Release tags must be annotated and signed by an allowed signer.
    public var requireSignedRelease: Bool
    /// Distinct valid approvers needed; 0 when the environment does not follow approvals.
    public var quorum: Int
    /// The release's signer and the authors of its range cannot approve it.
    public var fourEyes: Bool
    /// Enabled policies failing at or above this severity block.
    public var blockingSeverity: PolicySeverity
    /// Environments the release must have converged in first.
    public var requires: [String]

    public init(
        requiredTrailers: [RequiredTrailer] = [], requireSignedRelease: Bool = false, quorum: Int = 0,
        fourEyes: Bool = true, blockingSeverity: PolicySeverity = .error, requires: [String] = []
    ) {
        self.requiredTrailers = requiredTrailers
        self.requireSignedRelease = requireSignedRelease
        self.quorum = quorum
        self.fourEyes = fourEyes
        self.blockingSeverity = blockingSeverity
        self.requires = requires
    }
}
