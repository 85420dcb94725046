import ArgumentParser
import Foundation

/// What the git commands share: the revision, the repository and the output format.
struct GitRevisionOptions: ParsableArguments {
    @Argument(help: "The revision: a tag name, ref, commit id or branch.")
    var revision: String

    @Option(help: "The repository.")
    var repo: String = "."

    @Option(help: "Output format: text or json.")
    var output: GitOutputFormat = .text
}

extension GitOutputFormat {
    /// Prints `value` as JSON with sorted keys, or runs `text`, which prints it as text.
    func print(
        _ value: some Encodable, dates: JSONEncoder.DateEncodingStrategy = .deferredToDate, text: () -> Void
    ) throws {
        switch self {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = dates
            Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
        case .text:
            text()
        }
    }
}
