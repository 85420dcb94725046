import Crypto
import Foundation

/// An SSHSIG signature (the armoured `-----BEGIN SSH SIGNATURE-----` block git writes with `gpg.format=ssh`).
public struct SSHSignature: Sendable {
    /// The key that made the signature (embedded in the signature).
    public var publicKey: SSHPublicKey
    /// The namespace the signature was made for (`git` for commits and tags).
    public var namespace: String
    /// `sha256` or `sha512`.
    public var hashAlgorithm: String
    private var reserved: [UInt8]
    private var signature: [UInt8]

    /// Parses an armoured SSHSIG block.
    public init(armored: Data) throws {
        let text = String(decoding: armored, as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN SSH SIGNATURE-----"),
            let end = lines.firstIndex(of: "-----END SSH SIGNATURE-----"), begin < end
        else { throw SignatureError.malformed("no SSH SIGNATURE block") }
        guard let decoded = Data(base64Encoded: lines[(begin + 1)..<end].joined()) else {
            throw SignatureError.malformed("SSH signature is not base64")
        }
        var reader = SSHWireReader([UInt8](decoded))
        guard try reader.readBytes(6) == Array("SSHSIG".utf8) else {
            throw SignatureError.malformed("missing SSHSIG magic")
        }
        let version = try reader.readUInt32()
        guard version == 1 else { throw SignatureError.malformed("SSHSIG version \(version) is not supported") }
        publicKey = try SSHPublicKey(blob: try reader.readString())
        namespace = try reader.readText()
        reserved = try reader.readString()
        hashAlgorithm = try reader.readText()
        signature = try reader.readString()
    }

    /// Whether the signature is a valid signature of `message` by the embedded key in `namespace`.
    public func isValid(for message: Data, namespace expected: String) throws -> Bool {
        guard namespace == expected else { return false }
        let digest: [UInt8]
        switch hashAlgorithm {
        case "sha256": digest = Array(SHA256.hash(data: message))
        case "sha512": digest = Array(SHA512.hash(data: message))
        default: throw SignatureError.malformed("unsupported SSHSIG hash algorithm \(hashAlgorithm)")
        }
        let signed =
            Array("SSHSIG".utf8) + SSHWire.string(Array(namespace.utf8)) + SSHWire.string(reserved)
            + SSHWire.string(Array(hashAlgorithm.utf8)) + SSHWire.string(digest)
        return try publicKey.isValid(signature: signature, for: signed)
    }
}
