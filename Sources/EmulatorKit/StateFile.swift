import Foundation

/// Reads and writes the `--state` file: JSON, replaced atomically (write to a temporary file, rename).
enum StateFile {
    static func load(path: String?) throws -> WorkspaceState? {
        guard let path, FileManager.default.fileExists(atPath: path) else { return nil }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            return try JSONDecoder().decode(WorkspaceState.self, from: data)
        } catch {
            throw StateFileError(path: path, reason: "\(error)")
        }
    }

    static func save(_ state: WorkspaceState, path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(state)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// The state file exists but cannot be read as emulator state.
public struct StateFileError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): not a lakegate-emulator state file: \(reason)" }
}
