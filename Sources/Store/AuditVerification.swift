/// The result of checking the audit log's hash chain.
public struct AuditVerification: Sendable, Hashable {
    /// Why an entry breaks the chain.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// The stored content does not hash to the stored hash: the entry was edited.
        case contentMismatch(stored: String, computed: String)
        /// The entry does not point at the hash of the entry before it: entries were reordered or replaced.
        case previousHashMismatch(stored: String, expected: String)
        /// Sequence numbers skip: entries were deleted.
        case missingEntries(expected: Int64, found: Int64)
        /// A stored column cannot be read back (e.g. approvals are not valid JSON).
        case unreadable(String)
        /// An unsigned entry after signed ones: its signature was stripped or it was inserted without the key.
        case unsigned
        /// The signature does not verify, or is not by the controller's key; the reason says which.
        case badSignature(String)

        public var description: String {
            switch self {
            case .contentMismatch(let stored, let computed):
                "content does not match its hash (stored \(stored.prefix(12)), computed \(computed.prefix(12))): edited"
            case .previousHashMismatch(let stored, let expected):
                "previous hash \(stored.prefix(12)) does not match the entry before it (\(expected.prefix(12))):"
                    + " reordered or replaced"
            case .missingEntries(let expected, let found):
                expected == found - 1
                    ? "entry \(expected) is missing: deleted"
                    : "entries \(expected)…\(found - 1) are missing: deleted"
            case .unreadable(let why): "cannot be read: \(why)"
            case .unsigned: "not signed, but entries before it are: signature stripped or entry forged"
            case .badSignature(let why): "signature rejected: \(why)"
            }
        }
    }

    /// The first entry that breaks the chain.
    public struct Break: Sendable, Hashable, CustomStringConvertible {
        /// The sequence number of the offending row.
        public var sequence: Int64
        public var problem: Problem

        public var description: String { "audit entry \(sequence): \(problem)" }
    }

    /// How many entries were checked.
    public var entryCount: Int
    /// The hash of the last verified entry (the chain head), or the genesis hash when none verified.
    public var headHash: String
    /// The sequence of the last verified entry (0 when none verified).
    public var headSequence: Int64 = 0
    /// How many entries at the start carry no signature (written before the log was signed).
    public var unsignedPrefix: Int = 0
    /// The first break, or nil when the chain is intact.
    public var firstBreak: Break?

    public init(entryCount: Int, headHash: String, firstBreak: Break?) {
        self.entryCount = entryCount
        self.headHash = headHash
        self.firstBreak = firstBreak
    }

    /// Whether the whole chain verified.
    public var isIntact: Bool { firstBreak == nil }
}
