import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A blocking HTTP client for tests that talk to the real emulator process.
enum HTTP {
    struct Reply {
        var status: Int
        var body: Data
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func request(_ base: URL, _ method: String, _ path: String, body: String? = nil) throws -> Reply {
        guard let url = URL(string: base.absoluteString + path) else { throw Failure(description: "bad URL \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.set(data: data, status: (response as? HTTPURLResponse)?.statusCode, error: error)
            semaphore.signal()
        }.resume()
        guard semaphore.wait(timeout: .now() + 30) == .success else { throw Failure(description: "timed out: \(path)") }
        return try box.reply()
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var status: Int?
    private var error: (any Error)?

    func set(data: Data?, status: Int?, error: (any Error)?) {
        lock.lock()
        defer { lock.unlock() }
        self.data = data
        self.status = status
        self.error = error
    }

    func reply() throws -> HTTP.Reply {
        lock.lock()
        defer { lock.unlock() }
        if let error { throw error }
        guard let status else { throw HTTP.Failure(description: "no response") }
        return HTTP.Reply(status: status, body: data ?? Data())
    }
}
