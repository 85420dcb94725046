import Crypto
import Foundation

/// SHA-256 helpers for digests of rendered states, plans and policy reports.
public enum SHA256Digest {
    /// Lower-case hex SHA-256 of `bytes`.
    public static func hex(of bytes: some Sequence<UInt8>) -> String {
        hex(of: Array(bytes))
    }

    /// Lower-case hex SHA-256 of `bytes`, hashed in place.
    public static func hex(of bytes: [UInt8]) -> String {
        let digest = SHA256.hash(data: bytes)
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
    public static func hex(of text: String) -> String {
        hex(of: Array(text.utf8))
    }
}
