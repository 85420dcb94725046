import ArgumentParser
import Foundation
import LakegateCore
import OperatorConfig

/// `lakegate config validate`: checks `lakegate.yaml`; exit 1 with `path:line:column` errors.
struct ConfigValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate lakegate.yaml (exit 0 valid, 1 with path:line:column errors)."
    )

    @Option(help: "The configuration file.") var config: String = "lakegate.yaml"

    func run() throws {
        do {
            let loaded = try OperatorConfig.load(path: config)
            // The promotion order as it was resolved: `prod ← qa` when prod requires qa.
            let environments = loaded.environments.map { environment in
                environment.requires.isEmpty
                    ? environment.name : "\(environment.name) ← \(environment.requires.joined(separator: ", "))"
            }.joined(separator: ", ")
            print(
                "\(config): valid: \(loaded.products.count) product(s), \(loaded.environments.count) environment(s)"
                    + " (\(environments))")
        } catch let error as DiagnosticList {
            Self.printError(error.description)
            Self.printError("\(error.diagnostics.count) error(s) in \(config)")
            throw ExitCode(1)
        }
    }

    private static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
