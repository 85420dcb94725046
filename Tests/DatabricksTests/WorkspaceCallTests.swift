import Databricks
import Foundation
import LakegateCore
import Testing

@Suite struct WorkspaceCallTests {
    @Test func jobsLifecycleAndPermissions() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let client = fx.client
        let settings: JSONValue = [
            "name": "nightly", "max_concurrent_runs": 1, "tags": ["lakegate.product": "p"],
            "tasks": [["task_key": "t1", "notebook_task": ["notebook_path": "/Workspace/Shared/nb"]]],
        ]
        let id = try await client.createJob(settings)
        for index in 0..<3 { _ = try await client.createJob(["name": .string("other-\(index)")]) }
        let job = try await client.getJob(id)
        #expect(job["settings"]?["name"]?.stringValue == "nightly")
        #expect(try await client.listJobs().count == 4)
        #expect(try await client.listJobs(name: "NIGHTLY").count == 1)
        try await client.updateJob(id, settings: ["max_concurrent_runs": 2])
        #expect(try await client.getJob(id)["settings"]?["max_concurrent_runs"]?.intValue == 2)
        try await client.resetJob(id, settings: ["name": "nightly2"])
        #expect(try await client.getJob(id)["settings"]?["tasks"] == nil)
        try await client.setJobPermissions(
            id, acl: [["group_name": "ops", "permission_level": "CAN_MANAGE_RUN"]])
        let permissions = Canonical.jobPermissions(try await client.getJobPermissions(id))
        #expect(
            permissions == [
                ["principal": "ops", "principal_type": "group_name", "permission_level": "CAN_MANAGE_RUN"]
            ])
        try await client.deleteJob(id)
        do {
            _ = try await client.getJob(id)
            Issue.record("deleted job still readable")
        } catch let error as DatabricksError {
            #expect(error.kind == .notFound)
        }
    }

    @Test func workspaceObjects() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let client = fx.client
        try await client.mkdirs(path: "/Workspace/p/src")
        let source = Array("# Databricks notebook source\nprint(1)\n".utf8)
        try await client.importWorkspaceObject(
            path: "/Workspace/p/src/ingest", content: source, language: "PYTHON", overwrite: false)
        #expect(try await client.exportWorkspaceObject(path: "/Workspace/p/src/ingest") == source)
        let status = try await client.getWorkspaceStatus(path: "/Workspace/p/src/ingest")
        #expect(status["object_type"]?.stringValue == "NOTEBOOK")
        #expect(status["language"]?.stringValue == "PYTHON")
        #expect(try await client.listWorkspace(path: "/Workspace/p/src").count == 1)
        do {
            try await client.importWorkspaceObject(
                path: "/Workspace/p/src/ingest", content: source, language: "PYTHON", overwrite: false)
            Issue.record("import over an existing notebook without overwrite succeeded")
        } catch let error as DatabricksError {
            #expect(error.kind == .alreadyExists)
        }
        try await client.deleteWorkspaceObject(path: "/Workspace/p", recursive: true)
        await #expect(throws: DatabricksError.self) {
            try await client.getWorkspaceStatus(path: "/Workspace/p")
        }
    }

    @Test func genieSpacesAndWarehouses() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let client = fx.client
        let warehouses = try await client.listWarehouses()
        #expect(warehouses.first?["id"]?.stringValue == EmulatorFixture.warehouse)
        #expect(
            try await client.getWarehouse(EmulatorFixture.warehouse)["id"]?.stringValue
                == EmulatorFixture.warehouse)
        let space = try await client.createGenieSpace([
            "title": "Sales", "warehouse_id": .string(EmulatorFixture.warehouse),
            "serialized_space": #"{"version":2}"#,
        ])
        let id = try #require(space["space_id"]?.stringValue)
        let read = try await client.getGenieSpace(id)
        #expect(Canonical.genieSpace(read)["serialized_space"] == ["version": 2])
        #expect(try await client.listGenieSpaces().count == 1)
        try await client.updateGenieSpace(id, ["title": "Sales 2", "etag": read["etag"] ?? .null])
        #expect(try await client.getGenieSpace(id)["title"]?.stringValue == "Sales 2")
        try await client.trashGenieSpace(id)
        await #expect(throws: DatabricksError.self) { try await client.getGenieSpace(id) }
    }
}
