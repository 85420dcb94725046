import ArgumentParser
import Foundation
import Governance
import LakegateCore

/// `lakegate contract`: data contract tools.
struct ContractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "Data contract (ODCS) tools.",
        subcommands: [ContractDiffCommand.self]
    )
}

/// `lakegate contract diff OLD NEW`: breaking changes between two versions of a contract.
struct ContractDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Classify the changes between two ODCS contracts; exit 3 when breaking.",
        discussion: "The datacontract-cli 1.2 model plus Lakegate's governance rules. See docs/governance.md."
    )

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The previous contract (YAML).")
    var old: String

    @Argument(help: "The new contract (YAML).")
    var new: String

    @Option(help: "Whose guarantees count: consumer or producer.")
    var perspective: ContractPerspective = .consumer

    @Option(help: "text or json.")
    var output: Output = .text

    func run() async throws {
        let before: JSONValue
        let after: JSONValue
        do {
            before = try Self.load(old)
            after = try Self.load(new)
        } catch let error as DiagnosticList {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        let report = ContractDiff.compare(old: before, new: after, perspective: perspective)
        switch output {
        case .text: print(report.text)
        case .json: print(report.jsonValue.prettyJSON)
        }
        if report.breaking { throw ExitCode(3) }
    }

    private static func load(_ path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticList([Diagnostic(SourceLocation(path: path), "cannot be read")])
        }
        return try ContractDocument.parse(data, path: path)
    }
}

extension ContractPerspective: ExpressibleByArgument {}
