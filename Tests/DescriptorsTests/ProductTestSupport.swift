import Descriptors
import Foundation
import LakegateCore
import TestSupport

/// Helpers for building products in temporary directories.
enum ProductFixture {
    /// Copies `Examples/<name>` into a fresh temporary directory.
    static func copy(example name: String) throws -> TemporaryDirectory {
        try TemporaryDirectory(copying: Paths.example(name), prefix: "lakegate-descriptors")
    }

    /// Writes `files` (path → text) into a fresh temporary directory.
    static func write(_ files: [String: String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "lakegate-descriptors")
        for (path, text) in files {
            let target = directory.url.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: target)
        }
        return directory
    }

    /// The diagnostics of validating `directory` (every target, or `target`).
    static func diagnostics(_ directory: URL, target: String? = nil) -> [String] {
        ProductLoader.validate(DirectoryFileSource(root: directory), target: target).map(\.description)
    }

    /// The text of `file` in `directory`.
    static func read(_ directory: URL, _ file: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
    }

    /// Replaces `old` by `new` in `file`; fails when `old` is absent.
    static func edit(_ directory: URL, _ file: String, _ old: String, _ new: String) throws {
        let text = try read(directory, file)
        guard text.contains(old) else { throw FixtureError(message: "'\(old)' not in \(file)") }
        let range = text.range(of: old)!
        try Data(text.replacingCharacters(in: range, with: new).utf8).write(to: directory.appendingPathComponent(file))
    }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
