import ArgumentParser
import Descriptors
import Foundation
import LakegateCore

/// `lakegate validate [PATH] [--target T]`: checks a product; exit 0 when valid, 1 with the errors on stderr.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a data product repository and report every error as path:line:column.",
        discussion: "Without --target every target is rendered and checked."
    )

    @Argument(help: "The product directory.")
    var path: String = "."

    @Option(name: .long, help: "Check only this target.")
    var target: String?

    func run() throws {
        let source = DirectoryFileSource(root: URL(fileURLWithPath: path))
        let diagnostics = ProductLoader.validate(source, target: target)
        guard diagnostics.isEmpty else {
            var stderr = StandardError()
            for diagnostic in diagnostics { print(diagnostic, to: &stderr) }
            print("\(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") in \(path)", to: &stderr)
            throw ExitCode(1)
        }
        print("\(path): valid" + (target.map { " for target \($0)" } ?? ""))
    }
}

/// Writes to the standard error stream.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
