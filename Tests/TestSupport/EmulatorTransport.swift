import CurlHTTP
import EmulatorKit
import Foundation

/// An ``HTTPTransport`` that hands every request to an emulated ``Workspace`` in this process: no socket, no
/// subprocess, the same handling `lakegate-emulator` gives it over HTTP (state, faults, latency, OAuth, request
/// log, `/_emulator/*` control calls).
///
/// It answers only URLs under its ``baseURL``; any other origin fails as an unresolvable host would, so a client
/// that wanders off the workspace is caught instead of answered.
public struct EmulatorTransport: HTTPTransport {
    /// The origin this transport answers, `http://host[:port]` without a trailing slash.
    public let baseURL: String
    /// The emulated workspace that handles every request.
    public let workspace: Workspace
    public let redactor: Redactor

    /// A transport for `workspace` at `baseURL`; the workspace learns the URL so its OAuth discovery answers
    /// point back here.
    public init(workspace: Workspace, baseURL: String = "http://emulator.in-process", redactor: Redactor = Redactor())
        async
    {
        var baseURL = baseURL
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        self.baseURL = baseURL
        self.workspace = workspace
        self.redactor = redactor
        await workspace.setBaseURL(baseURL)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let target = Self.target(of: request.url, under: baseURL) else {
            // CURLE_COULDNT_RESOLVE_HOST: what libcurl reports for a host that is not there.
            throw CurlTransportError(
                code: 6, message: "Could not resolve host (the in-process emulator answers only \(baseURL))",
                method: request.method, url: request.url.split(separator: "?").first.map(String.init) ?? request.url)
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.lowercased()] = field.value }
        let answer = await workspace.handle(
            EmulatorRequest(
                method: request.method, path: target.path, rawQuery: target.query, headers: headers,
                body: Data(request.body ?? [])))
        // Header names lower-cased and a length, as libcurl hands them over from the HTTP server.
        var responseHeaders = Dictionary(
            answer.headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        responseHeaders["content-length"] = String(answer.body.count)
        return HTTPResponse(status: answer.status, headers: responseHeaders, body: Array(answer.body))
    }

    /// The raw path and query of `url` when it lies under `baseURL`, as an HTTP server receives them (still
    /// percent-encoded; the fragment is never sent).
    static func target(of url: String, under baseURL: String) -> (path: String, query: String)? {
        guard url.hasPrefix(baseURL) else { return nil }
        var rest = url.dropFirst(baseURL.count)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        guard rest.isEmpty || rest.first == "/" || rest.first == "?" else { return nil }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts[0].isEmpty ? "/" : String(parts[0])
        return (path, parts.count > 1 ? String(parts[1]) : "")
    }
}
