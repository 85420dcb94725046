import ArgumentParser
import Foundation
import LakegateCore
import Planner

/// `lakegate show FILE [--output json]`: a saved plan, as `lakegate plan` printed it, with what it was made from.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a plan saved by lakegate plan -out FILE.",
        discussion: """
            The file is checked first (format version, checksum, the plan against its digest): a damaged or \\
            edited file exits 1. Nothing is read from the workspace; lakegate apply FILE checks that the plan \\
            still holds.
            """
    )

    @Argument(help: "The plan file.")
    var file: String

    @Option(help: "Output format: text, or json (the whole plan file).")
    var output: OutputFormat = .text

    func run() throws {
        let saved: SavedPlan
        do {
            saved = try SavedPlan.read(try Data(contentsOf: URL(fileURLWithPath: file)), path: file)
        } catch {
            FileHandle.standardError.write(Data("lakegate show: \(error)\n".utf8))
            throw ExitCode(1)
        }
        switch output {
        case .json: print(saved.jsonValue.prettyJSON)
        case .text:
            print(
                """
                Saved plan for \(saved.product) in \(saved.target), made \(saved.createdAt) by Lakegate \
                \(saved.lakegateVersion)
                  product:   \(saved.productDirectory)
                  workspace: \(saved.host)
                  desired:   \(saved.desiredDigest) (\(saved.desiredResources.count) resources)
                  live:      \(saved.live.count) resources fingerprinted
                  plan:      \(saved.planDigest)

                """)
            print(saved.rendered, terminator: "")
        }
    }
}
