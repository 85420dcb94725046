import ArgumentParser
import Foundation
import GitSource
import LakegateCore
import Lifecycle

/// `lakegate init --blueprint NAME DIR [--set key=value]...`: a new product repository from a blueprint.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new data product repository from a blueprint. See docs/lifecycle.md.",
        discussion: """
            BLUEPRINT is a directory, a git URL (URL[//PATH][?ref=REF]) or a name found in LAKEGATE_BLUEPRINT_PATH \
            (default: blueprints:Examples/blueprints). Missing parameters are asked on a terminal; otherwise their \
            defaults are used, and a parameter without default must be given with --set.
            """
    )

    @Option(help: "The blueprint: a directory, a git URL or a name.")
    var blueprint: String

    @Argument(help: "The new product directory (absent or empty).")
    var directory: String

    @Option(name: .customLong("set"), help: "key=value: a blueprint parameter (repeatable).")
    var values: [String] = []

    func run() async throws {
        let (argument, directory, values) = (blueprint, directory, self.values)
        let prompter: Prompter? =
            isatty(STDIN_FILENO) == 1
            ? Prompter(
                ask: { question in
                    FileHandle.standardError.write(Data(question.utf8))
                    return readLine()
                }, tell: { printError($0) }) : nil
        do {
            let result = try await Blocking.run {
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "lakegate-blueprint-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: scratch) }
                let blueprint = try Blueprint.load(
                    from: BlueprintLocator.locate(argument, scratch: scratch, credentials: .fromEnvironment()))
                let resolved = try ParameterValues.resolve(
                    blueprint, given: ParameterValues.parse(values), prompter: prompter)
                return try ProductInitializer(blueprint: blueprint, values: resolved).run(
                    into: URL(fileURLWithPath: directory))
            }
            print(
                "created \(result.productID) in \(directory): \(result.files.count) files, commit \(result.commit.short)"
            )
            for file in result.files { print("  \(file)") }
            print("next: cd \(directory) && lakegate validate && lakegate plan --target dev")
        } catch {
            printError("lakegate init: \(error)")
            throw ExitCode(1)
        }
    }
}
