import ArgumentParser
import Store

/// `lakegate unhold`: resumes automatic promotion; exit 1 when there was no such hold.
struct UnholdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unhold",
        abstract: "Resume automatic promotion to a target held with `lakegate hold`."
    )

    @Option(help: "The target environment.") var target: String
    @Option(help: "The product, when the hold was for one product.") var product: String?
    @OptionGroup var state: StateDirectoryOption

    func run() throws {
        guard let store = try state.openExisting(), try store.removeHold(target: target, product: product) else {
            let scope = product.map { "\(target)/\($0)" } ?? target
            print("no hold on \(scope)")
            throw ExitCode(1)
        }
        print("released \(product.map { "\(target)/\($0)" } ?? target)")
    }
}
