import Foundation
import LakegateCore

/// An `allowed_signers` file as `ssh-keygen -Y verify` reads it (see ssh-keygen(1), ALLOWED SIGNERS).
///
/// `cert-authority` lines are refused when the file is read: Lakegate trusts listed keys only.
public struct AllowedSigners: Sendable {
    /// One line of the file.
    public struct Entry: Sendable {
        /// The principals field, verbatim (comma-separated patterns).
        public var principals: String
        /// Allowed namespaces; nil when the line has no `namespaces=` option (any namespace).
        public var namespaces: [String]?
        public var validAfter: Date?
        public var validBefore: Date?
        public var key: SSHPublicKey
        /// 1-based line number, for messages.
        public var line: Int

        /// Whether `identity` matches one of the principal patterns (`*`, `?`, `!negation`).
        public func matches(principal identity: String) -> Bool {
            Wildcard.matches(identity, anyOf: principals.split(separator: ","))
        }
    }

    /// Where the file was read from, for messages.
    public var path: String
    public var entries: [Entry]

    public init(path: String, entries: [Entry]) {
        self.path = path
        self.entries = entries
    }

    /// Reads and parses a file.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SignatureError.badLine(path: path, line: 0, column: 0, message: "cannot read allowed signers file")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses the text of a file; errors name `path:line:column`.
    public init(text: String, path: String) throws {
        self.path = path
        var entries: [Entry] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let trimmed = rawLine.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let tokens = Tokenizer.split(String(rawLine))
            func fail(_ column: Int, _ message: String) -> SignatureError {
                .badLine(path: path, line: line, column: column, message: message)
            }
            guard tokens.count >= 3 else { throw fail(1, "expected 'principals [options] keytype key'") }
            var cursor = 1
            var options: (text: String, column: Int)?
            if !KeyTypes.isKeyType(tokens[1].text) {
                options = (tokens[1].text, tokens[1].column)
                cursor = 2
            }
            guard tokens.count >= cursor + 2 else { throw fail(tokens[cursor].column, "missing key") }
            var entry = Entry(
                principals: tokens[0].text, namespaces: nil, validAfter: nil, validBefore: nil,
                key: try Self.key(tokens[cursor], tokens[cursor + 1], fail: fail), line: line)
            if let options {
                for option in Tokenizer.splitOptions(options.text) {
                    let lower = option.lowercased()
                    if lower == "cert-authority" {
                        throw fail(
                            options.column,
                            "cert-authority is not supported: list each signer's own public key instead")
                    } else if let value = Self.value(of: "namespaces", in: option) {
                        entry.namespaces = value.split(separator: ",").map(String.init)
                    } else if let value = Self.value(of: "valid-after", in: option) {
                        guard let date = SSHTimestamp.parse(value) else {
                            throw fail(options.column, "valid-after \"\(value)\" is not YYYYMMDD[HHMM[SS]][Z]")
                        }
                        entry.validAfter = date
                    } else if let value = Self.value(of: "valid-before", in: option) {
                        guard let date = SSHTimestamp.parse(value) else {
                            throw fail(options.column, "valid-before \"\(value)\" is not YYYYMMDD[HHMM[SS]][Z]")
                        }
                        entry.validBefore = date
                    } else {
                        throw fail(options.column, "unknown option \"\(option)\"")
                    }
                }
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    private static func key(
        _ type: Tokenizer.Token, _ body: Tokenizer.Token, fail: (Int, String) -> SignatureError
    ) throws -> SSHPublicKey {
        do {
            return try SSHPublicKey(type: type.text, base64: body.text)
        } catch let error as SignatureError {
            if case .unsupported(let message) = error { throw fail(type.column, message) }
            throw fail(body.column, "\(error)")
        }
    }

    private static func value(of name: String, in option: String) -> String? {
        guard option.lowercased().hasPrefix(name + "=") else { return nil }
        var value = String(option.dropFirst(name.count + 1))
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
            value = String(value.dropFirst().dropLast())
        }
        return value
    }
}

/// Key type names that may start the key part of a line.
enum KeyTypes {
    static func isKeyType(_ token: String) -> Bool {
        token.hasPrefix("ssh-") || token.hasPrefix("ecdsa-") || token.hasPrefix("sk-")
    }
}

/// Whitespace tokenizer that keeps double-quoted runs together and remembers columns.
enum Tokenizer {
    struct Token {
        var text: String
        var column: Int
    }

    static func split(_ line: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var start = 0
        var quoted = false
        for (offset, character) in line.enumerated() {
            if character == "\"" { quoted.toggle() }
            if !quoted && (character == " " || character == "\t") {
                if !current.isEmpty { tokens.append(Token(text: current, column: start + 1)) }
                current = ""
            } else {
                if current.isEmpty { start = offset }
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(Token(text: current, column: start + 1)) }
        return tokens
    }

    /// Splits `a,b="x,y",c` at commas outside quotes.
    static func splitOptions(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == "," && !quoted {
                result.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}

/// `YYYYMMDD[HHMM[SS]][Z]` timestamps of allowed_signers options: local time unless `Z`.
enum SSHTimestamp {
    static func parse(_ text: String) -> Date? {
        var digits = text
        var timeZone = TimeZone.current
        if digits.hasSuffix("Z") || digits.hasSuffix("z") {
            digits.removeLast()
            timeZone = TimeZone(identifier: "UTC")!
        }
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber)
        else { return nil }
        let numbers = Array(digits).map { Int(String($0))! }
        func number(_ from: Int, _ count: Int) -> Int { numbers[from..<from + count].reduce(0) { $0 * 10 + $1 } }
        var components = DateComponents()
        components.year = number(0, 4)
        components.month = number(4, 2)
        components.day = number(6, 2)
        components.hour = digits.count >= 12 ? number(8, 2) : 0
        components.minute = digits.count >= 12 ? number(10, 2) : 0
        components.second = digits.count == 14 ? number(12, 2) : 0
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: components)
    }
}
