import Foundation

/// A running `lakegate-emulator` for tests: started on a free port, stopped with SIGTERM.
///
/// ```swift
/// let emulator = try EmulatorProcess.start(arguments: ["--token", "t"])
/// defer { emulator.stop() }
/// let url = emulator.baseURL  // http://127.0.0.1:PORT
/// ```
public final class EmulatorProcess: @unchecked Sendable {
    /// The base URL the emulator printed, such as `http://127.0.0.1:54321`.
    public let baseURL: URL
    /// Everything the emulator wrote to stderr so far is kept in this file.
    public let stderrPath: String
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    private init(baseURL: URL, process: Process, stderrPath: String) {
        self.baseURL = baseURL
        self.process = process
        self.stderrPath = stderrPath
    }

    /// Launches the built emulator with `arguments` (plus `--host 127.0.0.1 --port 0`) and waits until it
    /// prints its base URL, at most `timeout` seconds.
    public static func start(
        arguments: [String] = [], executable: URL = Paths.executable("lakegate-emulator"), timeout: TimeInterval = 30
    ) throws -> EmulatorProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--host", "127.0.0.1", "--port", "0"] + arguments
        let stdout = Pipe()
        let stderrPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("lakegate-emulator-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()

        // Read the first line on a separate thread so that a silent child cannot block the test forever.
        let firstLine = FirstLineReader(handle: stdout.fileHandleForReading)
        guard let line = firstLine.wait(timeout: timeout), let url = URL(string: line), line.hasPrefix("http") else {
            process.terminate()
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            throw EmulatorProcessError(message: "lakegate-emulator did not print its URL within \(timeout)s: \(log)")
        }
        return EmulatorProcess(baseURL: url, process: process, stderrPath: stderrPath)
    }

    /// The process id, for tests that send signals themselves.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Sends SIGTERM and waits for the process to exit; safe to call more than once.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if process.isRunning { process.terminate() }
        // SIGTERM first (graceful exit is under test); SIGKILL after 10 s so a stuck child cannot hang the suite.
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: stderrPath)
    }

    /// The exit status after ``stop()``.
    public var terminationStatus: Int32 { process.terminationStatus }

    deinit { stop() }
}

/// The emulator failed to start.
public struct EmulatorProcessError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Reads bytes up to the first newline on a background thread.
private final class FirstLineReader: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var line: String?

    init(handle: FileHandle) {
        Thread.detachNewThread { [self] in
            var bytes: [UInt8] = []
            while true {
                let chunk = handle.readData(ofLength: 1)
                guard let byte = chunk.first else { break }
                if byte == UInt8(ascii: "\n") { break }
                bytes.append(byte)
            }
            line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            semaphore.signal()
        }
    }

    func wait(timeout: TimeInterval) -> String? {
        guard semaphore.wait(timeout: .now() + timeout) == .success else { return nil }
        return line
    }
}
