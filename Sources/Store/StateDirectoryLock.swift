import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exclusive lock `lakegate serve` holds on its state directory for as long as it runs.
///
/// An `flock` on `serve.lock` in the directory: a second `serve` on the same directory fails at once instead of
/// applying alongside the first, and the kernel drops the lock when its holder dies, even by `kill -9`, so a
/// stale lock file never blocks a restart.
public final class StateDirectoryLock: Sendable {
    /// The lock file's name inside the state directory.
    public static let fileName = "serve.lock"

    private let descriptor: Int32
    /// The lock file.
    public let path: String

    /// Takes the lock on `stateDirectory` (creating the directory when missing), or throws
    /// ``StateDirectoryLockedError`` naming the process that holds it.
    public init(stateDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: stateDirectory).appendingPathComponent(Self.fileName).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StateDirectoryLockedError(
                directory: stateDirectory, holder: nil,
                reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? nil : String(cString: strerror(errno))
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw StateDirectoryLockedError(directory: stateDirectory, holder: holder, reason: reason)
        }
        // The holder's pid, for the message a second process prints; the lock itself is the flock.
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        descriptor = fd
        self.path = path
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Another process holds the state directory (or its lock file cannot be used).
public struct StateDirectoryLockedError: Error, CustomStringConvertible, Sendable {
    public var directory: String
    /// The pid written by the holder, when readable.
    public var holder: String?
    /// Why locking failed when it was not another holder.
    public var reason: String?

    public var description: String {
        if let reason { return "cannot lock the state directory \(directory): \(reason)" }
        let who = holder.map { $0.isEmpty ? "another process" : "process \($0)" } ?? "another process"
        return "the state directory \(directory) is in use by \(who) (another lakegate serve?); "
            + "two controllers on one state directory would both apply. Stop it, or give this one its own stateDir "
            + "(several replicas share PostgreSQL state instead: state.url in lakegate.yaml)"
    }
}
