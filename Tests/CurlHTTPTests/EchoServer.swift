import Foundation

/// A real HTTP/1.1 server (Python's `http.server`, keep-alive) that answers every request with a JSON echo
/// of what it received, including the client's port, so tests can see connection reuse and proxying.
final class EchoServer: @unchecked Sendable {
    static let script = #"""
        import http.server, json, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def reply(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                out = json.dumps({"method": self.command, "path": self.path, "body": body,
                                  "client_port": self.client_address[1],
                                  "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
                status = 503 if self.path.startswith("/status/503") else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Echo", "yes")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = reply
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("http://127.0.0.1:%d" % server.server_address[1], flush=True)
        server.serve_forever()
        """#

    let baseURL: String
    private let process: Process

    init() throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first, first != UInt8(ascii: "\n") else { break }
            line.append(first)
        }
        baseURL = String(decoding: line, as: UTF8.self)
    }

    /// SIGKILL: the test runner's children may inherit a blocked SIGTERM, and a wait for a process that never
    /// ends would hold one of the cooperative pool's two threads forever.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
