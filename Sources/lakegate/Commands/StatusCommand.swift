import ArgumentParser
import Foundation
import LakegateCore

/// `lakegate status`: what a running controller serves at `/api/v1/status`, as a table.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show what is deployed where, from a running `lakegate serve`.")

    @OptionGroup var api: ControllerAPIOptions

    @Option(help: "text or json.")
    var output: String = "text"

    func run() async throws {
        let document = try await api.call("GET", "/api/v1/status", label: "lakegate.status")
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
