import Foundation
import LakegateCore
import TestSupport
import Testing

@testable import EmulatorKit

@Suite("State persistence")
struct StatePersistenceTests {
    @Test("a workspace written to the state file comes back after a restart")
    func restartInProcess() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("state.json").path
        let configuration = EmulatorConfiguration(statePath: path)
        let first = try Workspace(configuration: configuration)
        for request in [
            EmulatorRequest(
                method: "POST", path: "/api/2.1/unity-catalog/catalogs", body: Data(#"{"name":"keep"}"#.utf8)),
            EmulatorRequest(
                method: "POST", path: "/api/2.0/sql/statements",
                body: Data(
                    #"{"statement":"CREATE TABLE keep.default.t (id INT COMMENT 'c')","warehouse_id":"a1b2c3d4e5f60001"}"#
                        .utf8)),
            EmulatorRequest(method: "POST", path: "/api/2.2/jobs/create", body: Data(#"{"name":"nightly"}"#.utf8)),
        ] {
            let response = await first.handle(request)
            #expect(response.status == 200)
        }
        #expect(FileManager.default.fileExists(atPath: path))

        let second = try Workspace(configuration: configuration)
        let table = await second.handle(
            EmulatorRequest(method: "GET", path: "/api/2.1/unity-catalog/tables/keep.default.t"))
        #expect(table.status == 200)
        let info = try JSONValue(parsing: table.body)
        #expect(info["columns"]?.arrayValue?.first?["comment"] == "c")
        let jobs = try JSONValue(
            parsing: await second.handle(EmulatorRequest(method: "GET", path: "/api/2.2/jobs/list")).body)
        #expect(jobs["jobs"]?.arrayValue?.first?["settings"]?["name"] == "nightly")
        // New ids continue after the persisted ones.
        let next = try JSONValue(
            parsing: await second.handle(
                EmulatorRequest(method: "POST", path: "/api/2.2/jobs/create", body: Data(#"{"name":"b"}"#.utf8))
            ).body)
        #expect(next["job_id"] == 1002)
    }

    @Test("the real emulator process keeps state across a restart")
    func restartProcess() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("state.json").path
        let first = try EmulatorProcess.start(arguments: ["--state", path])
        let created = try HTTP.request(
            first.baseURL, "POST", "/api/2.1/unity-catalog/catalogs", body: #"{"name":"Durable"}"#)
        #expect(created.status == 200)
        first.stop()
        #expect(first.terminationStatus == 0)

        let second = try EmulatorProcess.start(arguments: ["--state", path])
        defer { second.stop() }
        let got = try HTTP.request(second.baseURL, "GET", "/api/2.1/unity-catalog/catalogs/durable")
        #expect(got.status == 200)
        #expect(try JSONValue(parsing: got.body)["name"] == "durable")
    }

    @Test("a corrupt state file is an error naming the file")
    func corrupt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("state.json").path
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try Workspace(configuration: EmulatorConfiguration(statePath: path))
        } throws: { error in
            (error as? StateFileError)?.path == path
        }
    }
}
