import Crypto
import Foundation
import _CryptoExtras

/// An SSH public key of a type Lakegate verifies natively.
public struct SSHPublicKey: Sendable, Hashable {
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256` or `ssh-rsa`.
    public let type: String
    /// The wire-format key blob (what `authorized_keys` base64-encodes).
    public let blob: [UInt8]

    /// Parses a wire-format key blob; throws for types other than Ed25519, ECDSA P-256 and RSA.
    public init(blob: [UInt8]) throws {
        var reader = SSHWireReader(blob)
        let type = try reader.readText()
        switch type {
        case "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa": break
        default: throw SignatureError.unsupported("unsupported key type \(type)")
        }
        self.type = type
        self.blob = blob
    }

    /// Parses the `type base64` form of an `authorized_keys` or `allowed_signers` key.
    public init(type: String, base64: String) throws {
        guard let data = Data(base64Encoded: base64) else { throw SignatureError.malformed("key is not base64") }
        try self.init(blob: [UInt8](data))
        guard self.type == type else {
            throw SignatureError.malformed("key type \(type) does not match the encoded key (\(self.type))")
        }
    }

    /// `SHA256:` followed by unpadded base64, as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    /// The key type as `ssh-keygen` names it in messages: `ED25519`, `ECDSA`, `RSA`.
    public var displayType: String {
        switch type {
        case "ssh-ed25519": "ED25519"
        case "ecdsa-sha2-nistp256": "ECDSA"
        default: "RSA"
        }
    }

    /// Checks `signature` (an SSH signature blob: string algorithm, string bytes) over `data`.
    func isValid(signature: [UInt8], for data: [UInt8]) throws -> Bool {
        var outer = SSHWireReader(signature)
        let algorithm = try outer.readText()
        let raw = try outer.readString()
        var key = SSHWireReader(blob)
        _ = try key.readText()
        switch (type, algorithm) {
        case ("ssh-ed25519", "ssh-ed25519"):
            let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: try key.readString())
            return publicKey.isValidSignature(raw, for: data)
        case ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"):
            guard try key.readText() == "nistp256" else { throw SignatureError.malformed("ECDSA curve mismatch") }
            let publicKey = try P256.Signing.PublicKey(x963Representation: try key.readString())
            var parts = SSHWireReader(raw)
            let r = try parts.readMPInt()
            let s = try parts.readMPInt()
            guard r.count <= 32, s.count <= 32 else { return false }
            let rawSignature =
                [UInt8](repeating: 0, count: 32 - r.count) + r + [UInt8](repeating: 0, count: 32 - s.count) + s
            let ecdsa = try P256.Signing.ECDSASignature(rawRepresentation: rawSignature)
            return publicKey.isValidSignature(ecdsa, for: data)
        case ("ssh-rsa", "rsa-sha2-256"), ("ssh-rsa", "rsa-sha2-512"):
            let exponent = try key.readMPInt()
            let modulus = try key.readMPInt()
            let publicKey = try _RSA.Signing.PublicKey(n: modulus, e: exponent)
            let rsa = _RSA.Signing.RSASignature(rawRepresentation: raw)
            if algorithm == "rsa-sha2-256" {
                return publicKey.isValidSignature(rsa, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            }
            return publicKey.isValidSignature(rsa, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
        case ("ssh-rsa", "ssh-rsa"):
            throw SignatureError.unsupported("RSA signatures with SHA-1 (ssh-rsa) are refused")
        default:
            throw SignatureError.malformed("signature algorithm \(algorithm) does not match key type \(type)")
        }
    }
}
