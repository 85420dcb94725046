import Foundation
import Governance
import LakegateCore

/// Verifies git signatures: SSHSIG natively, OpenPGP through `gpg` when a keyring directory is configured.
///
/// The identity is the principal of the matching allowed signers line, never the tagger or committer
/// line; key validity is checked at the time the caller passes (Lakegate's first sight of the object).
public struct SignatureVerifier: Sendable {
    public var allowedSigners: AllowedSigners
    public var revoked: RevocationList?
    /// The SSHSIG namespace git uses.
    public var namespace: String
    /// A GnuPG home directory holding the trusted OpenPGP keys; nil means OpenPGP is unsupported.
    public var gpgHome: String?

    public init(
        allowedSigners: AllowedSigners, revoked: RevocationList? = nil, namespace: String = "git",
        gpgHome: String? = nil
    ) {
        self.allowedSigners = allowedSigners
        self.revoked = revoked
        self.namespace = namespace
        self.gpgHome = gpgHome
    }

    /// Checks `signature` (an armoured block, nil when unsigned) over `payload` at time `time`.
    public func verify(signature: Data?, payload: Data, at time: Date) -> SignatureVerdict {
        guard let signature, !signature.isEmpty else { return .unsigned }
        let head = String(decoding: signature.prefix(40), as: UTF8.self)
        if head.hasPrefix("-----BEGIN SSH SIGNATURE-----") {
            return verifySSH(signature, payload: payload, at: time)
        }
        if head.hasPrefix("-----BEGIN PGP"), let gpgHome {
            return GPGVerifier(home: gpgHome).verify(signature: signature, payload: payload)
        }
        return SignatureVerdict(signed: true, valid: false, reason: "unsupported signature format")
    }

    private func verifySSH(_ armored: Data, payload: Data, at time: Date) -> SignatureVerdict {
        let signature: SSHSignature
        do {
            signature = try SSHSignature(armored: armored)
        } catch {
            return SignatureVerdict(signed: true, valid: false, reason: "\(error)")
        }
        let key = signature.publicKey
        var verdict = SignatureVerdict(
            signed: true, valid: false, keyType: key.displayType, fingerprint: key.fingerprint, reason: "")
        guard signature.namespace == namespace else {
            verdict.reason = "signature namespace is \"\(signature.namespace)\", expected \"\(namespace)\""
            return verdict
        }
        do {
            guard try signature.isValid(for: payload, namespace: namespace) else {
                verdict.reason = "bad signature: the signed content does not match"
                return verdict
            }
        } catch {
            verdict.reason = "\(error)"
            return verdict
        }
        if let revoked, revoked.contains(key) {
            verdict.reason = "key \(key.fingerprint) is revoked (\(revoked.path))"
            return verdict
        }
        let candidates = allowedSigners.entries.filter { $0.key == key }
        guard !candidates.isEmpty else {
            verdict.reason = "key \(key.fingerprint) is not in the allowed signers (\(allowedSigners.path))"
            return verdict
        }
        var reasons: [String] = []
        for entry in candidates {
            verdict.principal = entry.principals
            if let namespaces = entry.namespaces,
                !namespaces.contains(where: { Wildcard.matches(namespace, pattern: $0) })
            {
                reasons.append(
                    "key of \(entry.principals) is not permitted for namespace \"\(namespace)\" "
                        + "(\(allowedSigners.path):\(entry.line))")
                continue
            }
            if let after = entry.validAfter, time < after {
                reasons.append(
                    "key of \(entry.principals) is not yet valid at \(Self.format(time)) "
                        + "(valid-after \(Self.format(after)))")
                continue
            }
            if let before = entry.validBefore, time > before {
                reasons.append(
                    "key of \(entry.principals) expired at \(Self.format(before)), "
                        + "checked at first-seen time \(Self.format(time))")
                continue
            }
            verdict.valid = true
            verdict.reason = "good signature by \(entry.principals)"
            return verdict
        }
        verdict.reason = reasons.joined(separator: "; ")
        return verdict
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
