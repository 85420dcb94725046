import Foundation

/// What must hold before a release may be deployed to one environment.
public struct GatePolicy: Sendable {
    /// A trailer the release commit must carry, with a regular expression its value must match in full.
    public struct RequiredTrailer: Sendable, Equatable {
        public var key: String
        public var pattern: String?

        public init(key: String, pattern: String? = nil) {
            self.key = key
            self.pattern = pattern
        }

        /// Parses the `KEY[=REGEX]` form of `--require-trailer`.
        public init(argument: String) {
            if let equals = argument.firstIndex(of: "=") {
                key = String(argument[..<equals])
                pattern = String(argument[argument.index(after: equals)...])
            } else {
                key = argument
                pattern = nil
            }
        }
    }

    public var requiredTrailers: [RequiredTrailer]
    public var requireSignedRelease: Bool
    /// Distinct valid approving principals needed; 0 means no approval is needed.
    public var quorum: Int
    /// Approvers (and release signers) of this environment.
    public var allowedSigners: AllowedSigners?
    public var revoked: RevocationList?
    /// Refuse approvals by the release signer or by authors of commits since the previous release.
    public var fourEyes: Bool
    /// GnuPG home for OpenPGP-signed tags; nil means OpenPGP is unsupported.
    public var gpgHome: String?

    public init(
        requiredTrailers: [RequiredTrailer] = [], requireSignedRelease: Bool = true, quorum: Int = 1,
        allowedSigners: AllowedSigners? = nil, revoked: RevocationList? = nil, fourEyes: Bool = true,
        gpgHome: String? = nil
    ) {
        self.requiredTrailers = requiredTrailers
        self.requireSignedRelease = requireSignedRelease
        self.quorum = quorum
        self.allowedSigners = allowedSigners
        self.revoked = revoked
        self.fourEyes = fourEyes
        self.gpgHome = gpgHome
    }
}
