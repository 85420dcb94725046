import ArgumentParser
import Foundation
import Store

/// `lakegate unhold`: resumes automatic promotion; exit 1 when there was no such hold.
struct UnholdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unhold",
        abstract: "Resume automatic promotion to a target held with `lakegate hold`."
    )

    @Option(help: "The target environment.") var target: String
    @Option(help: "The product, when the hold was for one product.") var product: String?
    @Option(help: "Why; recorded in the audit log (lakegate history).") var reason: String?
    @Option(help: "Who lifts the hold (default: $USER).") var who: String?
    @OptionGroup var state: StateDirectoryOption

    func run() throws {
        let who = who ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        guard let store = try state.openExisting(),
            try store.removeHold(target: target, product: product, by: who, reason: reason)
        else {
            let scope = product.map { "\(target)/\($0)" } ?? target
            print("no hold on \(scope)")
            throw ExitCode(1)
        }
        print("released \(product.map { "\(target)/\($0)" } ?? target)")
    }
}
