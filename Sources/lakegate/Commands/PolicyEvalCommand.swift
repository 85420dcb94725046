import ArgumentParser
import CEL
import Foundation
import LakegateCore

/// `lakegate policy eval 'EXPR' [--input FILE.json] [--output cel|json]`.
struct PolicyEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a CEL expression; the top-level keys of --input become variables."
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case cel, json
    }

    @Argument(help: "The CEL expression, e.g. 'size(tables) > 0 && env == \"prod\"'.")
    var expression: String?

    @Option(name: .long, help: "A JSON file ('-' for stdin) whose top-level keys become variables.")
    var input: String?

    @Option(name: .long, help: "cel: a CEL literal; json: the tagged JSON encoding (docs/cel.md).")
    var output: OutputFormat = .cel

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Evaluate one request per line of FILE ('-' for stdin), one JSON result per line.",
            visibility: .hidden))
    var batch: String?

    func validate() throws {
        if (expression == nil) == (batch == nil) {
            throw ValidationError("give either an expression or --batch FILE")
        }
    }

    func run() throws {
        var bindings: [String: CELValue] = [:]
        if let input {
            let data: Data
            do {
                data =
                    input == "-"
                    ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: input))
            } catch {
                throw fail("\(input): cannot read the file")
            }
            do {
                bindings = try CELVariables.bindings(fromJSONObject: try JSONValue(parsing: data))
            } catch let error as CELError {
                throw fail("\(input): \(error.message)")
            } catch {
                throw fail("\(input): invalid JSON: \(error)")
            }
        }
        if let batch {
            try runBatch(batch, bindings)
            return
        }
        let source = expression ?? ""
        do {
            let value = try CELProgram.compile(source).evaluate(bindings)
            print(output == .json ? value.taggedJSON.canonicalJSON : value.literal)
        } catch {
            throw fail(error.description)
        }
    }

    private func runBatch(_ path: String, _ bindings: [String: CELValue]) throws {
        let text: String
        if path == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: path) else { throw fail("\(path): cannot read") }
            text = String(decoding: data, as: UTF8.self)
        }
        let cache = CELCache()
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            out += CELVariables.evaluateLine(String(line), base: bindings, cache: cache).canonicalJSON + "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(1)
    }
}
