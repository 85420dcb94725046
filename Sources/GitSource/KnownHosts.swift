import Crypto
import Foundation
import LakegateCore

/// An OpenSSH `known_hosts` file: which host keys an ssh remote may present.
///
/// Plain and hashed (`|1|salt|hash`) host names, `[host]:port` entries, `*`/`?` patterns, `!` negations and
/// `@revoked` lines are understood; `@cert-authority` lines are skipped (host certificates are not supported).
public struct KnownHosts: Sendable {
    /// One usable line of the file.
    struct Entry: Sendable {
        var patterns: [String]
        var hashed: (salt: Data, hash: Data)?
        var keyBlob: Data
        var revoked: Bool
    }

    /// What a host's key is, by the file.
    public enum Verdict: Sendable, Equatable {
        /// The file lists this key for the host.
        case trusted
        /// The file lists other keys for the host, not this one.
        case mismatch
        /// The file lists no key for the host.
        case unknownHost
        /// The file revokes this key.
        case revoked
    }

    let entries: [Entry]
    /// The file the entries came from, for messages.
    public let path: String

    /// Reads `path`; malformed lines are an error naming the line.
    public init(contentsOf path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw GitError(function: "known_hosts", code: -1, message: "\(path): cannot read: \(error)")
        }
        try self.init(text: text, path: path)
    }

    /// Parses the text of a `known_hosts` file.
    public init(text: String, path: String = "known_hosts") throws {
        var entries: [Entry] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let blob = Data(base64Encoded: fields[2]) else {
                throw GitError(
                    function: "known_hosts", code: -1,
                    message: "\(path):\(offset + 1): expected `hosts key-type base64-key`")
            }
            var entry = Entry(patterns: [], hashed: nil, keyBlob: blob, revoked: revoked)
            if fields[0].hasPrefix("|1|") {
                let parts = fields[0].split(separator: "|").map(String.init)
                guard parts.count == 3, let salt = Data(base64Encoded: parts[1]),
                    let hash = Data(base64Encoded: parts[2])
                else {
                    throw GitError(
                        function: "known_hosts", code: -1, message: "\(path):\(offset + 1): malformed hashed host")
                }
                entry.hashed = (salt, hash)
            } else {
                entry.patterns = fields[0].split(separator: ",").map { $0.lowercased() }
            }
            entries.append(entry)
        }
        self.entries = entries
        self.path = path
    }

    /// The verdict for `keyBlob` (the wire-format public key) presented by `host` on `port`.
    public func verdict(host: String, port: Int?, keyBlob: Data) -> Verdict {
        let name = port.map { $0 == 22 ? host.lowercased() : "[\(host.lowercased())]:\($0)" } ?? host.lowercased()
        let matching = entries.filter { $0.matches(name) }
        if matching.contains(where: { $0.revoked && $0.keyBlob == keyBlob }) { return .revoked }
        let keys = matching.filter { !$0.revoked }
        if keys.isEmpty { return .unknownHost }
        return keys.contains { $0.keyBlob == keyBlob } ? .trusted : .mismatch
    }

    /// The host and port an ssh URL connects to (`ssh://user@host:2222/path` or scp-like `user@host:path`).
    public static func endpoint(ofSSHURL url: String) -> (host: String, port: Int)? {
        if url.hasPrefix("ssh://") || url.hasPrefix("git+ssh://") || url.hasPrefix("ssh+git://") {
            guard let components = URLComponents(string: url), let host = components.host else { return nil }
            return (host, components.port ?? 22)
        }
        guard !url.contains("://"), let colon = url.firstIndex(of: ":") else { return nil }
        let authority = url[..<colon]
        let host = authority.split(separator: "@").last.map(String.init) ?? String(authority)
        return host.isEmpty ? nil : (host, 22)
    }
}

extension KnownHosts.Entry {
    /// Whether this line applies to `name` (`host` or `[host]:port`).
    func matches(_ name: String) -> Bool {
        if let hashed {
            let code = HMAC<Insecure.SHA1>.authenticationCode(
                for: Data(name.utf8), using: SymmetricKey(data: hashed.salt))
            return Data(code) == hashed.hash
        }
        // OpenSSH compares host patterns byte by byte.
        return Wildcard.matches(name, anyOf: patterns, unit: .utf8Byte)
    }
}
