import CurlHTTP
import Foundation
import LakegateCore
import OperatorConfig
import Store

/// Turns one outbox delivery into the HTTP request its provider expects. Pure: the URL and secret are resolved
/// by the caller, and nothing here touches the network.
public enum ProviderRequest {
    /// The request for `delivery` to a provider of `kind` at `url` (the webhook URL or the API base URL), with
    /// `secret` (the HMAC key, or the API token).
    ///
    /// - Throws: ``NotificationError`` when the event cannot be sent there (no commit for a commit status, a
    ///   repository whose owner and name cannot be read).
    public static func make(
        _ delivery: OutboxDelivery, kind: OperatorConfig.Provider.Kind, url: String, secret: String?
    ) throws -> HTTPRequest {
        let event = try NotificationPayload(json: delivery.payload)
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), (NotificationSignature.eventIDHeader, delivery.eventID),
            (NotificationSignature.eventHeader, delivery.kind),
        ]
        let body: [UInt8]
        var target = url
        switch kind {
        case .webhook:
            body = Array(delivery.payload.utf8)
            headers.append((NotificationSignature.header, NotificationSignature.sign(body, secret: secret ?? "")))
        case .slack:
            body = slack(event).canonicalJSONBytes
        case .teams:
            body = teams(event).canonicalJSONBytes
        case .github, .gitlab:
            guard let state = OperatorConfig.EventKind(rawValue: delivery.kind)?.commitStatus else {
                throw NotificationError("\(delivery.kind) sets no commit status")
            }
            guard let commit = event.commit, commit.count == 40 || commit.count == 64 else {
                throw NotificationError("the event names no commit to set a status on")
            }
            let path = try repositoryPath(event.repository)
            let description = String(event.title.prefix(140))
            let context = "lakegate/\(event.environment)"
            if kind == .github {
                guard path.count >= 2 else {
                    throw NotificationError("cannot read owner/name from the repository \(event.repository)")
                }
                target = "\(url)/repos/\(path[path.count - 2])/\(path[path.count - 1])/statuses/\(commit)"
                headers += [
                    ("Authorization", "Bearer \(secret ?? "")"), ("Accept", "application/vnd.github+json"),
                    ("X-GitHub-Api-Version", "2022-11-28"),
                ]
                var status: [String: JSONValue] = [
                    "state": .string(state.rawValue), "context": .string(context),
                    "description": .string(description),
                ]
                if let link = event.link { status["target_url"] = .string(link) }
                body = JSONValue.object(status).canonicalJSONBytes
            } else {
                let project = path.joined(separator: "/")
                let encoded = project.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? project
                target = "\(url)/projects/\(encoded)/statuses/\(commit)"
                headers.append(("PRIVATE-TOKEN", secret ?? ""))
                var status: [String: JSONValue] = [
                    "state": .string(state == .failure ? "failed" : state.rawValue), "name": .string(context),
                    "description": .string(description),
                ]
                if let link = event.link { status["target_url"] = .string(link) }
                body = JSONValue.object(status).canonicalJSONBytes
            }
        }
        var request = HTTPRequest(method: "POST", url: target, headers: headers, body: body)
        // A POST is not repeated by libcurl on a dead reused connection; the worker retries it with the same id.
        request.freshConnection = true
        return request
    }

    /// A Slack incoming-webhook message: a `text` fallback and Block Kit sections.
    static func slack(_ event: NotificationPayload) -> JSONValue {
        var blocks: [JSONValue] = [
            ["type": "header", "text": ["type": "plain_text", "text": .string(String(event.title.prefix(150)))]],
            ["type": "section", "text": ["type": "mrkdwn", "text": .string(event.details.joined(separator: "\n"))]],
        ]
        if let command = event.approveCommand {
            blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": .string("```\(command)```")]])
        }
        blocks.append([
            "type": "context",
            "elements": [["type": "mrkdwn", "text": .string("lakegate event `\(event.kind)` · id `\(event.id)`")]],
        ])
        return ["text": .string(event.title), "blocks": .array(blocks)]
    }

    /// A Teams incoming-webhook message: one Adaptive Card.
    static func teams(_ event: NotificationPayload) -> JSONValue {
        var body: [JSONValue] = [
            ["type": "TextBlock", "text": .string(event.title), "weight": "Bolder", "size": "Medium", "wrap": true],
            [
                "type": "FactSet",
                "facts": .array(event.facts.map { ["title": .string($0.0), "value": .string($0.1)] }),
            ],
        ]
        for line in event.details {
            body.append(["type": "TextBlock", "text": .string(line), "wrap": true])
        }
        if let command = event.approveCommand {
            body.append(["type": "TextBlock", "text": .string(command), "fontType": "Monospace", "wrap": true])
        }
        return [
            "type": "message",
            "attachments": [
                [
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": [
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                        "version": "1.4", "body": .array(body),
                    ],
                ]
            ],
        ]
    }

    /// The path components of a Git remote: `https://host/a/b.git`, `ssh://git@host/a/b`, `git@host:a/b.git` and
    /// local paths `/x/y/a/b.git` all give `[a, b]`.
    static func repositoryPath(_ remote: String) throws -> [String] {
        var path = remote
        if let scheme = remote.range(of: "://") {
            let rest = remote[scheme.upperBound...]
            path = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? ""
        } else if !remote.hasPrefix("/"), let colon = remote.firstIndex(of: ":") {
            path = String(remote[remote.index(after: colon)...])
        }
        var parts = path.split(separator: "/").map(String.init)
        if let last = parts.last, last.hasSuffix(".git") { parts[parts.count - 1] = String(last.dropLast(4)) }
        guard !parts.isEmpty else { throw NotificationError("cannot read a repository path from \(remote)") }
        // A local repository (tests, mirrors) has no owner: its last two folders stand for owner and name.
        let local = remote.hasPrefix("/") || remote.hasPrefix("file://")
        return local ? Array(parts.suffix(2)) : parts
    }
}

/// A notification that could not be made or sent, in one sentence (never with a secret).
public struct NotificationError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
