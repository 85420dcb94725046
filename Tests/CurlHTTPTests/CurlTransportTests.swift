import CurlHTTP
import Foundation
import LakegateCore
import Logging
import Testing

@Suite struct CurlTransportTests {
    func json(_ response: HTTPResponse) throws -> JSONValue { try JSONValue(parsing: Data(response.body)) }

    @Test func sendsMethodsHeadersAndBodies() async throws {
        let server = try EchoServer()
        defer { server.stop() }
        let transport = CurlTransport(logger: Logger(label: "test"))
        for method in ["POST", "PATCH", "PUT", "DELETE"] {
            let response = try await transport.send(
                HTTPRequest(
                    method: method, url: server.baseURL + "/api/x?a=1",
                    headers: [("Content-Type", "application/json"), ("X-Test", "1")], body: Array(#"{"k":1}"#.utf8)))
            #expect(response.status == 200)
            #expect(response.headers["x-echo"] == "yes")
            let echo = try json(response)
            #expect(echo["method"]?.stringValue == method)
            #expect(echo["path"]?.stringValue == "/api/x?a=1")
            #expect(echo["body"]?.stringValue == #"{"k":1}"#)
            #expect(echo["headers"]?["x-test"]?.stringValue == "1")
            #expect(echo["headers"]?["expect"] == nil)
        }
        let get = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/g"))
        #expect(try json(get)["method"]?.stringValue == "GET")
        #expect(try json(get)["body"]?.stringValue == "")
        #expect(get.httpVersion == "1.1")
        let unavailable = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/status/503"))
        #expect(unavailable.status == 503)
    }

    @Test func reusesConnections() async throws {
        let server = try EchoServer()
        defer { server.stop() }
        let transport = CurlTransport(
            configuration: CurlTransportConfiguration(maxConcurrency: 1), logger: Logger(label: "test"))
        var ports: Set<Int64> = []
        for _ in 0..<5 {
            let response = try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/r"))
            if let port = try json(response)["client_port"]?.intValue { ports.insert(port) }
        }
        #expect(ports.count == 1)
    }

    @Test func explicitProxyIsUsed() async throws {
        let server = try EchoServer()
        defer { server.stop() }
        let transport = CurlTransport(
            configuration: CurlTransportConfiguration(proxy: server.baseURL), logger: Logger(label: "test"))
        let response = try await transport.send(HTTPRequest(method: "GET", url: "http://workspace.invalid/api/p"))
        // A proxy receives the absolute URL.
        #expect(try json(response)["path"]?.stringValue == "http://workspace.invalid/api/p")
    }

    @Test func connectionRefusedIsAConnectionError() async throws {
        let transport = CurlTransport(logger: Logger(label: "test"))
        do {
            _ = try await transport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:1/x?secret=1"))
            Issue.record("request to a closed port succeeded")
        } catch let error as CurlTransportError {
            #expect(error.isConnectionError)
            #expect(error.url == "http://127.0.0.1:1/x")
        }
    }

    @Test func tlsIsVerified() async throws {
        let server = try EchoServer()
        defer { server.stop() }
        let transport = CurlTransport(
            configuration: CurlTransportConfiguration(connectTimeout: 2, requestTimeout: 5),
            logger: Logger(label: "test"))
        // A TLS handshake with a plain HTTP server fails: nothing is sent in the clear instead.
        let url = server.baseURL.replacingOccurrences(of: "http://", with: "https://") + "/t"
        await #expect(throws: CurlTransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: url))
        }
    }
}
