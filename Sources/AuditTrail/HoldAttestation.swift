import Foundation
import GitSource
import Governance
import Store

/// An operator's SSH signature over a hold or unhold (`lakegate hold --sign`), checked against an allowed
/// signers file before anything is recorded. The operating-system user is recorded either way; this adds who
/// holds the key.
public struct HoldAttestation: Sendable {
    /// The SSH signature namespace of holds.
    public static let namespace = "lakegate-hold"

    /// `hold` or `unhold`.
    public var action: String
    public var target: String
    public var product: String?
    public var reason: String
    public var user: String
    public var time: Date

    public init(action: String, target: String, product: String?, reason: String, user: String, time: Date) {
        self.action = action
        self.target = target
        self.product = product
        self.reason = reason
        self.user = user
        self.time = time
    }

    /// The signed text.
    public var payload: Data {
        let milliseconds = Int64((time.timeIntervalSince1970 * 1000).rounded())
        return Data(
            """
            lakegate \(action) v1
            target \(target)
            product \(product ?? Hold.everyProduct)
            user \(user)
            time-ms \(milliseconds)
            reason \(reason)

            """.utf8)
    }

    /// Signs with `key` (a private key file, or `key::…` for ssh-agent) and checks the signature against
    /// `allowedSigners`; returns `principal (fingerprint)` or throws why it is refused.
    public func signAndCheck(key: String, allowedSigners path: String) throws -> String {
        let signers: AllowedSigners
        do {
            signers = try AllowedSigners(contentsOf: path)
        } catch {
            throw AuditTrailError(what: path, reason: "cannot read the allowed signers: \(error)")
        }
        let signature: Data
        do {
            signature = try SSHSigner(key: key).sign(payload, namespace: Self.namespace)
        } catch {
            throw AuditTrailError(what: key, reason: "cannot sign the \(action): \(error)")
        }
        let verdict = SignatureVerifier(allowedSigners: signers, namespace: Self.namespace)
            .verify(signature: signature, payload: payload, at: time)
        guard verdict.valid, let principal = verdict.principal else {
            throw AuditTrailError(what: path, reason: "the \(action) signature is refused: \(verdict.reason)")
        }
        return "\(principal) (\(verdict.fingerprint ?? "unknown key"))"
    }

    /// The operating-system user running this process (effective uid), not `$USER`, which anyone can set.
    public static var operatingSystemUser: String {
        let uid = geteuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }
}
