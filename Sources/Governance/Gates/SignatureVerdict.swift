/// The outcome of checking one signature against the allowed signers (at the time its tag was first seen):
/// collected by GitSource, judged by the gates.
public struct SignatureVerdict: Sendable, Equatable, Codable {
    /// Whether the object carries a signature at all.
    public var signed: Bool
    /// Whether the signature is good, by an allowed, unrevoked key valid at the checked time.
    public var valid: Bool
    /// The principal from the allowed signers line (or the OpenPGP user id): the signer's identity.
    public var principal: String?
    /// `ED25519`, `ECDSA`, `RSA` or `OpenPGP`.
    public var keyType: String?
    /// `SHA256:…` for SSH keys, the key fingerprint for OpenPGP.
    public var fingerprint: String?
    /// Why it is (in)valid, in words.
    public var reason: String

    public init(
        signed: Bool, valid: Bool, principal: String? = nil, keyType: String? = nil, fingerprint: String? = nil,
        reason: String
    ) {
        self.signed = signed
        self.valid = valid
        self.principal = principal
        self.keyType = keyType
        self.fingerprint = fingerprint
        self.reason = reason
    }

    /// An object that carries no signature.
    public static let unsigned = SignatureVerdict(signed: false, valid: false, reason: "not signed")
}
