import ArgumentParser
import Foundation
import GitSource
import Governance
import LakegateCore

/// `lakegate git trailers REV`: the trailers of a commit, as `git interpret-trailers --parse` reads them.
struct GitTrailersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trailers",
        abstract: "Print the trailers of a commit (as git interpret-trailers --parse does)."
    )

    @Argument(help: "The revision: a commit id, branch or tag.")
    var revision: String

    @Option(help: "The repository.")
    var repo: String = "."

    @Option(help: "Output format: text or json.")
    var output: GitOutputFormat = .text

    func run() async throws {
        let (repo, revision) = (self.repo, self.revision)
        let trailers: [Trailer]
        do {
            trailers = try await Blocking.run {
                let repository = try Repository(openingAt: repo)
                let commit = try repository.peelToCommit(try repository.resolve(revision))
                return TrailerParser().parse(try repository.commit(commit).message)
            }
        } catch {
            printError("lakegate git trailers: \(error)")
            throw ExitCode(1)
        }
        switch output {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(trailers), as: UTF8.self))
        case .text:
            for trailer in trailers { print("\(trailer.key): \(trailer.value)") }
        }
    }
}
