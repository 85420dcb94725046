import Store

/// What `lakegate history verify` found: the chain and its signatures, then the checkpoints kept outside.
public struct AuditTrailReport: Sendable {
    /// The hash chain and signature check of the state database.
    public var chain: AuditVerification
    /// The audit key signatures were checked against, when one was given.
    public var keyFingerprint: String?
    /// The newest checkpoint whose signature verified, and the sink it came from.
    public var newestCheckpoint: AuditCheckpoint?
    public var newestCheckpointSource: String?
    /// Problems found outside the chain (checkpoints, missing key), each naming where; any one fails the check.
    public var problems: [String]
    /// What the check does not prove, for the auditor (a legacy unsigned prefix, entries after the checkpoint).
    public var notes: [String]

    /// Whether the chain, every signature and every checkpoint agree.
    public var isIntact: Bool { chain.isIntact && problems.isEmpty }
}
