import ArgumentParser
import Capture
import Databricks
import Foundation
import Logging
import Store
import Sync

/// `lakegate capture --target T [PATH]`: reverse engineering of the live workspace into the product files.
struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Write what was built in the workspace into the product files (reverse engineering).",
        discussion: """
            Tables (columns, types, comments, tags, masks, row filters) go into the ODCS contracts and \
            dataproduct.yaml, grants and settings into the bundle resources, Genie spaces into their \
            .geniespace.json files, notebooks into src/. Business metadata the workspace does not hold is kept. \
            New objects are found inside the product's catalogs and schemas (tables, views, volumes, functions), \
            under its bundle root (notebooks, files, the jobs that run them), by its ownership markers (jobs), on \
            its tables (quality monitors, shares), or named with --include KIND:NAME. \
            Prints the unified diff of every file it changes. Exit 0 when everything was captured and lakegate plan \
            would show no changes afterwards, 2 when something could not be captured (each listed on stderr as \
            "not captured: …"), 1 on error.
            """
    )

    @Argument(help: "The product directory.")
    var path: String = "."

    @Option(help: "The bundle target to read (usually dev).")
    var target: String

    /// The state holding the inventory of owned objects: a state directory, or shared PostgreSQL state.
    @OptionGroup var state: StateDirectoryOption

    @OptionGroup var workspace: WorkspaceOptions

    @Flag(help: "Show the diff and write nothing.")
    var dryRun = false

    @Flag(help: "Commit the changed files in the product's git repository (needs -m).")
    var commit = false

    @Option(
        name: [.customShort("m"), .customLong("message")],
        help: "Commit message for --commit (repeatable: one paragraph each, joined by a blank line as git does).")
    var messages: [String] = []

    /// The `-m` paragraphs joined as git joins them; nil when none was given.
    var message: String? { MessageParagraphs.join(messages) }

    @Option(
        name: .customLong("include"),
        help: ArgumentHelp(
            "Also capture this object (repeatable): job:NAME (exact job name), share:NAME, monitor:CATALOG.SCHEMA.TABLE.",
            valueName: "KIND:NAME"))
    var include: [String] = []

    @Flag(help: "Log every request and response (credentials redacted) to stderr.")
    var verbose = false

    func validate() throws {
        if commit && message == nil { throw ValidationError("--commit needs a message: -m MESSAGE") }
        if commit && dryRun { throw ValidationError("--commit and --dry-run exclude each other") }
        for value in include {
            do { _ = try CaptureInclude(parsing: value) } catch { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        var logger = Logger(label: "lakegate.capture")
        logger.logLevel = verbose ? .trace : .warning
        let session: CaptureSession
        do {
            session = try await CaptureSession.make(
                productDirectory: URL(fileURLWithPath: path), target: target, inventory: try state.open().inventory,
                config: try workspace.resolve(), logger: logger,
                includes: try include.map { try CaptureInclude(parsing: $0) })
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        for failure in session.readFailures {
            FileHandle.standardError.write(Data("warning: not read, so not captured: \(failure)\n".utf8))
        }
        for edit in session.result.edits { print(edit.unifiedDiff, terminator: "") }
        let count = session.result.edits.count
        do {
            if count == 0 {
                print("No changes to capture.")
            } else if dryRun {
                print("Dry run: \(count) file(s) would change; nothing was written.")
            } else {
                try session.write()
                print("Captured into \(count) file(s).")
                if commit, let message {
                    print("Committed \(try await session.commit(message: message)).")
                }
            }
        } catch {
            FileHandle.standardError.write(Data("capture failed: \(error)\n".utf8))
            throw ExitCode(1)
        }
        for note in session.result.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        let unresolved = session.result.notCaptured + session.remaining.map { "plan would still show: \($0)" }
        for line in unresolved { FileHandle.standardError.write(Data("not captured: \(line)\n".utf8)) }
        // Anything not captured, or a read that failed, is a capture that is not complete: never exit 0 silently.
        if !unresolved.isEmpty || !session.readFailures.isEmpty { throw ExitCode(2) }
    }
}
