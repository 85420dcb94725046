import EmulatorKit
import Foundation
import LakegateCore
import Logging

/// The emulator's workspace served by EmulatorKit inside the test process on a free loopback port: real HTTP
/// through the client's transport, no subprocess.
final class InProcessWorkspace: Sendable {
    let url: String
    let workspace: Workspace
    private let task: Task<Void, Never>

    private init(url: String, workspace: Workspace, task: Task<Void, Never>) {
        self.url = url
        self.workspace = workspace
        self.task = task
    }

    static func start() async throws -> InProcessWorkspace {
        var logger = Logger(label: "emulator")
        logger.logLevel = .critical
        let server = try EmulatorServer(
            configuration: EmulatorConfiguration(host: "127.0.0.1", port: 0), logger: logger)
        let (urls, continuation) = AsyncStream.makeStream(of: String.self)
        let task = Task {
            do {
                try await server.run { url in continuation.yield(url) }
            } catch {
                continuation.finish()
            }
        }
        for await url in urls {
            return InProcessWorkspace(url: url, workspace: server.workspace, task: task)
        }
        task.cancel()
        throw InProcessWorkspaceError(description: "the emulator did not start listening")
    }

    /// Stops serving.
    func stop() { task.cancel() }

    /// Requests that changed the workspace so far: every non-GET API call except SQL reads and token requests.
    func writeCount() async throws -> Int {
        let answer = await workspace.handle(EmulatorRequest(method: "GET", path: "/_emulator/requests"))
        let requests = try JSONValue(parsing: answer.body)["requests"]?.arrayValue ?? []
        return requests.filter { request in
            let method = request["method"]?.stringValue ?? "GET"
            let path = request["path"]?.stringValue ?? ""
            guard method != "GET", method != "HEAD", !path.hasPrefix("/oidc/") else { return false }
            if let statement = request["statement"]?.stringValue {
                let verb = statement.trimmingCharacters(in: .whitespaces).prefix(8).uppercased()
                return !(verb.hasPrefix("SELECT") || verb.hasPrefix("SHOW") || verb.hasPrefix("DESCRIBE"))
            }
            return !(method == "POST" && path.hasPrefix("/api/2.0/sql/statements/"))
        }.count
    }

    /// Sends one API call to the workspace, as a client would.
    func call(_ method: String, _ path: String, body: JSONValue? = nil) async -> (status: Int, body: JSONValue?) {
        let data = body.map { Data($0.canonicalJSON.utf8) } ?? Data()
        let answer = await workspace.handle(
            EmulatorRequest(
                method: method, path: path, headers: ["Authorization": "Bearer t0ken-for-tests"], body: data))
        return (answer.status, try? JSONValue(parsing: answer.body))
    }
}

struct InProcessWorkspaceError: Error, CustomStringConvertible {
    var description: String
}
