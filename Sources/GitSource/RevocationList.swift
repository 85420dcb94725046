import Foundation

/// A revocation file of plain public keys (one `type base64 [comment]` per line). Binary KRLs are refused.
public struct RevocationList: Sendable {
    public var path: String
    public var keys: Set<SSHPublicKey>

    public init(path: String, keys: Set<SSHPublicKey>) {
        self.path = path
        self.keys = keys
    }

    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SignatureError.badLine(path: path, line: 0, column: 0, message: "cannot read revocation file")
        }
        if data.starts(with: Array("SSHKRL\n".utf8)) {
            throw SignatureError.badLine(
                path: path, line: 1, column: 1,
                message: "binary KRL revocation files are unsupported; list the revoked public keys instead")
        }
        self.path = path
        var keys: Set<SSHPublicKey> = []
        let text = String(decoding: data, as: UTF8.self)
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = rawLine.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let tokens = Tokenizer.split(String(rawLine))
            guard tokens.count >= 2 else {
                throw SignatureError.badLine(path: path, line: index + 1, column: 1, message: "expected 'keytype key'")
            }
            do {
                keys.insert(try SSHPublicKey(type: tokens[0].text, base64: tokens[1].text))
            } catch {
                throw SignatureError.badLine(path: path, line: index + 1, column: tokens[0].column, message: "\(error)")
            }
        }
        self.keys = keys
    }

    public func contains(_ key: SSHPublicKey) -> Bool { keys.contains(key) }
}
