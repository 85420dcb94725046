import ArgumentParser
import Descriptors
import Foundation
import LakegateCore

/// `lakegate render --target T [PATH] [--output json|yaml]`: prints the resolved desired state.
struct RenderCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, yaml
    }

    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the resolved desired state of a product for one target.",
        discussion: "The same files and target always give the same bytes and the same digest."
    )

    @Argument(help: "The product directory.")
    var path: String = "."

    @Option(name: .long, help: "The bundle target to render (dev, qa, prod, ...).")
    var target: String

    @Option(name: .long, help: "Output format: json or yaml.")
    var output: Format = .json

    func run() throws {
        let source = DirectoryFileSource(root: URL(fileURLWithPath: path))
        let state: DesiredState
        do {
            state = try ProductLoader.load(source).render(target: target)
        } catch {
            var stderr = StandardError()
            print(error.description, to: &stderr)
            throw ExitCode(1)
        }
        switch output {
        case .json: print(state.jsonValue.prettyJSON)
        case .yaml: print(YAMLEmitter.emit(state.jsonValue), terminator: "")
        }
    }
}
