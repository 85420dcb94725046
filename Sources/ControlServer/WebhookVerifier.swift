import Crypto
import Foundation
import LakegateCore

/// Checks GitHub (`X-Hub-Signature-256` HMAC) and GitLab (`X-Gitlab-Token`) push webhooks and names the
/// repository they are about.
struct WebhookVerifier {
    let secret: String?

    enum Verdict: Equatable {
        /// Verified; the repository URLs the payload names (clone, SSH and web URLs).
        case accepted([String])
        case rejected(String)
    }

    /// What can be judged before reading the body: a secret is configured, a signature or token is present, and a
    /// GitLab token matches. `.accepted([])` means "read the body and call ``verify(headers:body:)``".
    func checkHeaders(_ headers: [String: String]) -> Verdict {
        guard let secret, !secret.isEmpty else { return .rejected("no webhook secret is configured") }
        if headers["x-hub-signature-256"] != nil { return .accepted([]) }
        if let token = headers["x-gitlab-token"] {
            return Self.constantTimeEqual(token, secret) ? .accepted([]) : .rejected("X-Gitlab-Token does not match")
        }
        return .rejected("neither X-Hub-Signature-256 nor X-Gitlab-Token is present")
    }

    func verify(headers: [String: String], body: [UInt8]) -> Verdict {
        guard let secret, !secret.isEmpty else { return .rejected("no webhook secret is configured") }
        if let signature = headers["x-hub-signature-256"] {
            let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
            let expected = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
            guard Self.constantTimeEqual(expected, signature.lowercased()) else {
                return .rejected("X-Hub-Signature-256 does not match")
            }
        } else if let token = headers["x-gitlab-token"] {
            guard Self.constantTimeEqual(token, secret) else { return .rejected("X-Gitlab-Token does not match") }
        } else {
            return .rejected("neither X-Hub-Signature-256 nor X-Gitlab-Token is present")
        }
        guard let payload = try? JSONValue(parsing: Data(body)) else { return .rejected("the payload is not JSON") }
        var urls: [String] = []
        for owner in ["repository", "project"] {
            for field in ["clone_url", "ssh_url", "html_url", "git_http_url", "git_ssh_url", "web_url", "url"] {
                if let url = payload[owner]?[field]?.stringValue { urls.append(url) }
            }
        }
        return .accepted(urls)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
