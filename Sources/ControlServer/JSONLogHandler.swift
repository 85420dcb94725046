import Foundation
import Logging
import Synchronization

/// One JSON object per line on standard error: `{"ts", "level", "label", "msg", ...metadata}`, with
/// millisecond UTC timestamps. Every handler follows one shared ``Level``, so a reload changes it at once.
public struct JSONLogHandler: LogHandler {
    /// The level every handler of the process logs at; set from lakegate.yaml and `LAKEGATE_LOG_LEVEL`.
    public final class Level: Sendable {
        private let value: Mutex<Logger.Level>

        public init(_ level: Logger.Level) {
            value = Mutex(level)
        }

        public var current: Logger.Level {
            get { value.withLock { $0 } }
            set { value.withLock { $0 = newValue } }
        }
    }

    public var metadata: Logger.Metadata = [:]
    let label: String
    let level: Level
    /// A level set on one logger (e.g. the HTTP server's, quieter); it never changes the shared one.
    var ownLevel: Logger.Level?

    public init(label: String, level: Level) {
        self.label = label
        self.level = level
    }

    public var logLevel: Logger.Level {
        get { ownLevel ?? level.current }
        set { ownLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var object: [String: String] = [
            "ts": formatter.string(from: Date()), "level": event.level.rawValue, "label": label,
            "msg": event.message.description,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = "\(value)"
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}
