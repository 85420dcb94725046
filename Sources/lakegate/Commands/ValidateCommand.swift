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

    @Option(
        help: "Output format: text, or json ({\"valid\", \"errors\": [{\"path\", \"line\", \"column\", \"message\"}]})."
    )
    var output: OutputFormat = .text

    func run() throws {
        let source = DirectoryFileSource(root: URL(fileURLWithPath: path))
        let diagnostics = ProductLoader.validate(source, target: target)
        let warnings = ProductLoader.warnings(source)
        if output == .json {
            print(Self.json(diagnostics, warnings: warnings, path: path, target: target).prettyJSON)
            if !diagnostics.isEmpty { throw ExitCode(1) }
            return
        }
        var stderr = StandardError()
        for warning in warnings { print("warning: \(warning)", to: &stderr) }
        guard diagnostics.isEmpty else {
            for diagnostic in diagnostics { print(diagnostic, to: &stderr) }
            print("\(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") in \(path)", to: &stderr)
            throw ExitCode(1)
        }
        print("\(path): valid" + (target.map { " for target \($0)" } ?? ""))
    }
}

extension ValidateCommand {
    /// `{"path", "target", "valid", "errors": [{"path", "line", "column", "message"}], "warnings": [...]}`.
    static func json(_ diagnostics: [Diagnostic], warnings: [Diagnostic], path: String, target: String?) -> JSONValue {
        .object([
            "path": .string(path),
            "target": target.map { .string($0) } ?? .null,
            "valid": .bool(diagnostics.isEmpty),
            "errors": .array(diagnostics.map(\.jsonValue)),
            "warnings": .array(warnings.map(\.jsonValue)),
        ])
    }
}

extension Diagnostic {
    /// `{"path", "line", "column", "message"}`.
    var jsonValue: JSONValue {
        .object([
            "path": .string(location.path), "line": .int(Int64(location.line)),
            "column": .int(Int64(location.column)), "message": .string(message),
        ])
    }
}

/// Writes to the standard error stream.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
