import Foundation
import Synchronization

/// A ``TagObservationStore`` kept in one JSON file (`tags.json` in the state directory), written atomically.
public final class JSONTagObservationStore: TagObservationStore {
    /// The file path.
    public let path: String
    private let lock = Mutex(())

    private struct File: Codable {
        var repositories: [String: [TagObservation]]
    }

    public init(path: String) {
        self.path = path
    }

    /// The store at `<stateDirectory>/tags.json`.
    public convenience init(stateDirectory: String) {
        self.init(path: (stateDirectory as NSString).appendingPathComponent("tags.json"))
    }

    public func observations(repository: String) throws -> [TagObservation] {
        try lock.withLock { _ in try load().repositories[repository] ?? [] }
    }

    public func record(repository: String, tags: [String: ObjectID], at time: Date) throws -> [TagEvent] {
        try lock.withLock { _ in
            var file = try load()
            var list = file.repositories[repository] ?? []
            var events: [TagEvent] = []
            for (tag, object) in tags.sorted(by: { $0.key < $1.key }) {
                let known = list.filter { $0.tag == tag }
                if known.contains(where: { $0.object == object }) { continue }
                let observation = TagObservation(tag: tag, object: object, firstSeen: time)
                list.append(observation)
                if let first = known.first {
                    events.append(.moved(tag: tag, first: first, now: object))
                } else {
                    events.append(.appeared(observation))
                }
            }
            if !events.isEmpty {
                file.repositories[repository] = list
                try save(file)
            }
            return events
        }
    }

    private func load() throws -> File {
        guard let data = FileManager.default.contents(atPath: path) else { return File(repositories: [:]) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(File.self, from: data)
        } catch {
            throw StateFileError(path: path, reason: "tag observations cannot be read: \(error)")
        }
    }

    private func save(_ file: File) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        // .atomic writes a temporary file and renames it over the old one.
        try encoder.encode(file).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// A state file that cannot be read.
public struct StateFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
