import ArgumentParser
import CurlHTTP
import Foundation
import LakegateCore
import Logging

/// Where a running `lakegate serve` answers and the bearer token its API takes (`status`, `reconcile`).
struct ControllerAPIOptions: ParsableArguments {
    @Option(help: "The controller's base URL.")
    var server: String = "http://127.0.0.1:8080"

    @Option(help: "A file holding the API bearer token (default: $LAKEGATE_API_TOKEN).")
    var tokenFile: String?

    /// Sends `method` to `path` (with `query`) and returns the JSON document of a 200 answer; prints why and
    /// exits 1 when the token file cannot be read, the controller cannot be reached or answers anything else.
    func call(
        _ method: String, _ path: String, query: [URLQueryItem] = [], timeout: Double? = nil, label: String
    ) async throws -> JSONValue {
        var token = ProcessInfo.processInfo.environment["LAKEGATE_API_TOKEN"]
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                FileHandle.standardError.write(Data("cannot read the token file \(tokenFile)\n".utf8))
                throw ExitCode(1)
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var components = URLComponents(string: (server.hasSuffix("/") ? String(server.dropLast()) : server) + path)
        if !query.isEmpty { components?.queryItems = query }
        guard let url = components?.string else { throw ValidationError("--server \(server) is not a URL") }
        let configuration = timeout.map { CurlTransportConfiguration(requestTimeout: $0) } ?? .init()
        let transport = CurlTransport(configuration: configuration, logger: Logger(label: label))
        let response: HTTPResponse
        do {
            response = try await transport.send(
                HTTPRequest(
                    method: method, url: url, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? []))
        } catch {
            FileHandle.standardError.write(Data("cannot reach the controller at \(server): \(error)\n".utf8))
            throw ExitCode(1)
        }
        guard response.status == 200, let document = try? JSONValue(parsing: Data(response.body)) else {
            let body = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            FileHandle.standardError.write(Data("\(server) answered HTTP \(response.status): \(body)\n".utf8))
            throw ExitCode(1)
        }
        return document
    }
}
