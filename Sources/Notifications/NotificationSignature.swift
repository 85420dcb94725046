import Crypto
import Foundation

/// The generic webhook's signature: `X-Lakegate-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, keyed
/// with the provider's shared secret, as GitHub signs its webhooks. Receivers recompute it over the bytes they
/// received and compare in constant time (docs/notifications.md).
public enum NotificationSignature {
    /// The signature header's name.
    public static let header = "X-Lakegate-Signature-256"
    /// The event id header's name: the same on every attempt of one event.
    public static let eventIDHeader = "X-Lakegate-Event-Id"
    /// The event kind header's name.
    public static let eventHeader = "X-Lakegate-Event"

    /// `sha256=` and the lower-case hex HMAC-SHA256 of `body` under `secret`.
    public static func sign(_ body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is the signature of `body` under `secret`, compared in constant time.
    public static func verify(_ body: [UInt8], signature: String, secret: String) -> Bool {
        let expected = Array(sign(body, secret: secret).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }
}
