import Foundation
import GitSource
import Store

/// The controller's audit key (`audit.signingKey`): signs entries and checkpoints with `ssh-keygen -Y sign -n
/// lakegate-audit`, and checks that a signature verifies and was made by this very key.
public struct AuditKey: Sendable {
    /// The signer, when the private key is at hand (serve, hold); nil when only verifying.
    public var signer: SSHSigner?
    /// The public key every audit signature must be made with.
    public var publicKey: SSHPublicKey

    /// A key that signs: `path` is the private key file (its `.pub` next to it, or derived with `ssh-keygen -y`).
    public init(signingKey path: String) throws {
        let signer = SSHSigner(key: path)
        let text: String
        do {
            text = try signer.publicKey()
        } catch {
            throw AuditTrailError(what: path, reason: "cannot read the audit signing key: \(error)")
        }
        self.signer = signer
        self.publicKey = try Self.parse(text, source: path)
    }

    /// A key that only verifies, from `type base64` text (a `.pub` file's content).
    public init(publicKeyText text: String, source: String) throws {
        self.signer = nil
        self.publicKey = try Self.parse(text, source: source)
    }

    /// A key that only verifies, read from a public key file.
    public init(publicKeyFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditTrailError(what: path, reason: "cannot read the public key file")
        }
        try self.init(publicKeyText: String(decoding: data, as: UTF8.self), source: path)
    }

    private static func parse(_ text: String, source: String) throws -> SSHPublicKey {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        guard fields.count >= 2 else { throw AuditTrailError(what: source, reason: "not an SSH public key") }
        do {
            return try SSHPublicKey(type: String(fields[0]), base64: String(fields[1]))
        } catch {
            throw AuditTrailError(what: source, reason: "not a usable SSH public key: \(error)")
        }
    }

    /// An armoured signature over `payload` in namespace `lakegate-audit`.
    public func sign(_ payload: Data) throws -> String {
        guard let signer else {
            throw AuditTrailError(what: publicKey.fingerprint, reason: "only the public key is known; cannot sign")
        }
        return String(decoding: try signer.sign(payload, namespace: AuditEntry.signatureNamespace), as: UTF8.self)
    }

    /// Why `signature` is not this key's valid signature of `payload`, or nil when it is.
    public func problem(with signature: String, for payload: Data) -> String? {
        let parsed: SSHSignature
        do {
            parsed = try SSHSignature(armored: Data(signature.utf8))
        } catch {
            return "unreadable signature: \(error)"
        }
        guard parsed.namespace == AuditEntry.signatureNamespace else {
            return "signed in namespace '\(parsed.namespace)', not '\(AuditEntry.signatureNamespace)'"
        }
        guard parsed.publicKey == publicKey else {
            return "signed by \(parsed.publicKey.fingerprint), not the audit key \(publicKey.fingerprint): key swapped"
        }
        do {
            guard try parsed.isValid(for: payload, namespace: AuditEntry.signatureNamespace) else {
                return "does not verify: content or hash changed after signing"
            }
        } catch {
            return "cannot be checked: \(error)"
        }
        return nil
    }
}
