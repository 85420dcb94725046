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

    @OptionGroup var options: GitRevisionOptions

    func run() async throws {
        let (repo, revision) = (options.repo, options.revision)
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
        try options.output.print(trailers) {
            for trailer in trailers { print("\(trailer.key): \(trailer.value)") }
        }
    }
}
