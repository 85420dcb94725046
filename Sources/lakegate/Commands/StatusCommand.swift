import ArgumentParser
import CurlHTTP
import Foundation
import LakegateCore
import Logging

/// `lakegate status`: what a running controller serves at `/api/v1/status`, as a table.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show what is deployed where, from a running `lakegate serve`.")

    @Option(help: "The controller's base URL.")
    var server: String = "http://127.0.0.1:8080"

    @Option(help: "text or json.")
    var output: String = "text"

    @Option(help: "A file holding the API bearer token (default: $LAKEGATE_API_TOKEN).")
    var tokenFile: String?

    func run() async throws {
        let transport = CurlTransport(logger: Logger(label: "lakegate.status"))
        let url = server.hasSuffix("/") ? server + "api/v1/status" : server + "/api/v1/status"
        var token = ProcessInfo.processInfo.environment["LAKEGATE_API_TOKEN"]
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                FileHandle.standardError.write(Data("cannot read the token file \(tokenFile)\n".utf8))
                throw ExitCode(1)
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(
                HTTPRequest(
                    method: "GET", url: url, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? []))
        } catch {
            FileHandle.standardError.write(Data("cannot reach the controller at \(server): \(error)\n".utf8))
            throw ExitCode(1)
        }
        guard response.status == 200, let document = try? JSONValue(parsing: Data(response.body)) else {
            FileHandle.standardError.write(Data("\(url) answered HTTP \(response.status)\n".utf8))
            throw ExitCode(1)
        }
        if output == "json" {
            print(document.prettyJSON)
            return
        }
        let header = ["PRODUCT", "TARGET", "DESIRED", "DEPLOYED", "OUTCOME", "MESSAGE"]
        var rows: [[String]] = []
        for item in document["products"]?.arrayValue ?? [] {
            func text(_ key: String) -> String { item[key]?.stringValue ?? "-" }
            let desired =
                item["desiredRelease"]?.stringValue ?? item["desiredCommit"]?.stringValue.map { String($0.prefix(7)) }
            let deployed =
                item["deployedRelease"]?.stringValue ?? item["deployedCommit"]?.stringValue.map { String($0.prefix(7)) }
            rows.append([
                text("product"), text("target"), desired ?? "-", deployed ?? "-", text("outcome"), text("message"),
            ])
        }
        print(Table.render(header: header, rows: rows))
    }
}
