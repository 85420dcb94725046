import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OperatorConfig
import Reconciler

extension ControlServer {
    /// A console page for a reader who presents the API token (as a bearer token, or as the password of HTTP
    /// basic authentication so a browser can ask for it) or comes through the authenticating proxy's header.
    func consolePage(_ request: Request, path: String) async throws -> Response {
        guard let console else { return Self.text(.notFound, "the console is not enabled\n") }
        let proxyHeader = await controller.config.console?.proxyUserHeader
        let user: String?
        switch consoleReader(request, proxyHeader: proxyHeader) {
        case .refused(let reason):
            var response = Self.text(.unauthorized, reason + "\n")
            // Basic lets a browser prompt for the token (any user name, the token as password).
            response.headers[.wwwAuthenticate] = "Basic realm=\"lakegate console\", charset=\"UTF-8\""
            return response
        case .token: user = nil
        case .proxy(let name): user = name
        }
        guard let html = try await console.page(path, user: user) else {
            return Self.html(.notFound, "<!doctype html><html lang=\"en\"><title>Not found</title><p>Not found.</p>")
        }
        return Self.html(.ok, html)
    }

    enum ConsoleReader: Equatable {
        case token
        case proxy(String)
        case refused(String)
    }

    /// Who reads: the proxy's user when its header is configured and present, else the API token holder.
    func consoleReader(_ request: Request, proxyHeader: String?) -> ConsoleReader {
        if let proxyHeader, let name = HTTPField.Name(proxyHeader), let user = request.headers[name],
            !user.trimmingCharacters(in: .whitespaces).isEmpty
        {
            return .proxy(user)
        }
        guard let token = secrets.values.apiToken, !token.isEmpty else {
            return .refused("the console is closed: no API token is configured (api.tokenEnv or api.tokenFile)")
        }
        guard let header = request.headers[.authorization] else { return .refused("the API token is required") }
        var presented: String?
        if header.hasPrefix("Bearer ") {
            presented = String(header.dropFirst("Bearer ".count))
        } else if header.hasPrefix("Basic "),
            let data = Data(base64Encoded: String(header.dropFirst("Basic ".count))),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        {
            presented = String(text[text.index(after: colon)...])
        }
        guard let presented, WebhookVerifier.constantTimeEqual(presented, token) else {
            return .refused("the API token is not valid")
        }
        return .token
    }

    static func html(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=utf-8"
        // No script runs here at all; styles are inline; nothing may frame the console.
        fields[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        fields[HTTPField.Name("X-Frame-Options")!] = "DENY"
        fields[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
