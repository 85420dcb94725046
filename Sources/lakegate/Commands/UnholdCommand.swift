import ArgumentParser
import Foundation
import Store

/// `lakegate unhold`: resumes automatic promotion; exit 1 when there was no such hold.
struct UnholdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unhold",
        abstract: "Resume automatic promotion to a target held with `lakegate hold`."
    )

    @OptionGroup var options: HoldOptions
    @Option(help: "Why; recorded in the audit log (lakegate history).") var reason: String?

    func run() throws {
        let now = Date()
        let signing = options.signing
        let reason = reason.map { signing.noted($0) } ?? signing.who.map { _ in signing.noted("released") }
        let who = try options.actor(action: "unhold", reason: reason ?? "", at: now)
        let (target, product) = (options.target, options.product)
        let removed = try options.change(creating: false) {
            try $0.removeHold(target: target, product: product, by: who, reason: reason, at: now)
        }
        guard removed else {
            print("no hold on \(options.scope)")
            throw ExitCode(1)
        }
        print("released \(options.scope)")
    }
}
