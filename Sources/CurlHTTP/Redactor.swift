import Foundation

/// Removes credentials from anything that is logged: header values, JSON and form bodies, and every
/// secret value registered with it (tokens, client secrets, OAuth access tokens as they are issued).
public final class Redactor: @unchecked Sendable {
    /// What replaces a secret.
    public static let mask = "<redacted>"

    /// Header fields whose values are never logged (lower-case).
    public static let sensitiveHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-databricks-azure-sp-management-token",
        "x-databricks-gcp-sa-access-token",
    ]

    /// Body keys whose values are never logged, in JSON (`"key": "value"`) and form (`key=value`) bodies.
    public static let sensitiveKeys = [
        "access_token", "refresh_token", "id_token", "client_secret", "token", "token_value", "password",
        "secret", "bearer_token", "personal_access_token", "subject_token",
    ]

    private let lock = NSLock()
    private var secrets: Set<String> = []

    public init(secrets: [String] = []) {
        for secret in secrets { register(secret) }
    }

    /// Adds a secret value that must never appear in logs. Values shorter than 4 characters are ignored:
    /// masking them would garble unrelated text without protecting anything.
    public func register(_ secret: String) {
        guard secret.count >= 4 else { return }
        lock.withLock { _ = secrets.insert(secret) }
    }

    /// A header value as it may be logged.
    public func header(name: String, value: String) -> String {
        Self.sensitiveHeaders.contains(name.lowercased()) ? Self.mask : text(value)
    }

    /// Text (a body, a URL, a message) with every sensitive value masked.
    public func text(_ input: String) -> String {
        var output = input
        for key in Self.sensitiveKeys {
            output = Self.maskJSONValues(of: key, in: output)
            output = Self.maskFormValues(of: key, in: output)
        }
        let known = lock.withLock { secrets }
        // Longest first, so a secret that contains another is masked whole.
        for secret in known.sorted(by: { $0.count > $1.count }) where output.contains(secret) {
            output = output.replacingOccurrences(of: secret, with: Self.mask)
        }
        return output
    }

    /// Masks the string value of every `"key": "…"` member.
    static func maskJSONValues(of key: String, in input: String) -> String {
        let marker = "\"\(key)\""
        guard input.contains(marker) else { return input }
        var result = ""
        var rest = Substring(input)
        while let range = rest.range(of: marker) {
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            // Skip white space and the colon; only a string value that follows is masked.
            let blank: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" }
            guard let colon = rest.firstIndex(where: { !blank($0) }), rest[colon] == ":" else { continue }
            let index = rest[rest.index(after: colon)...].firstIndex { !blank($0) } ?? rest.endIndex
            guard index < rest.endIndex, rest[index] == "\"" else { continue }
            result += rest[rest.startIndex...index]
            var end = rest.index(after: index)
            var escaped = false
            while end < rest.endIndex {
                let c = rest[end]
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    break
                }
                end = rest.index(after: end)
            }
            result += mask
            rest = rest[end...]
        }
        return result + rest
    }

    /// Masks the value of every `key=…` pair in a form-encoded body or query string.
    static func maskFormValues(of key: String, in input: String) -> String {
        let marker = "\(key)="
        guard input.contains(marker) else { return input }
        var result = ""
        var rest = Substring(input)
        while let range = rest.range(of: marker) {
            let before = rest[..<range.lowerBound]
            let atBoundary = before.isEmpty || before.last == "&" || before.last == "?"
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            guard atBoundary else { continue }
            let end = rest.firstIndex { $0 == "&" || $0 == " " || $0 == "\n" || $0 == "\"" } ?? rest.endIndex
            result += mask
            rest = rest[end...]
        }
        return result + rest
    }
}
