import Foundation
import LakegateCore

/// Workspace files and notebooks, Genie spaces, SQL warehouses and the caller's identity.
extension DatabricksClient {
    /// Imports `content` at `path` (`format` SOURCE needs a `language`).
    public func importWorkspaceObject(
        path: String, content: [UInt8], format: String = "SOURCE", language: String?, overwrite: Bool
    ) async throws {
        var body: [String: JSONValue] = [
            "path": .string(path), "content": .string(Data(content).base64EncodedString()), "format": .string(format),
            "overwrite": .bool(overwrite),
        ]
        if let language { body["language"] = .string(language) }
        try await call("POST", "/api/2.0/workspace/import", body: .object(body))
    }

    /// The bytes of the object at `path`.
    public func exportWorkspaceObject(path: String, format: String = "SOURCE") async throws -> [UInt8] {
        let answer = try await call("GET", "/api/2.0/workspace/export", query: [("path", path), ("format", format)])
        guard let text = answer["content"]?.stringValue, let data = Data(base64Encoded: text) else {
            throw DatabricksError(
                kind: .invalidResponse, message: "export of \(path) has no base64 content", method: "GET",
                path: "/api/2.0/workspace/export", status: 200)
        }
        return [UInt8](data)
    }

    /// `{path, object_type, object_id, language, …}`.
    public func getWorkspaceStatus(path: String) async throws -> JSONValue {
        try await call("GET", "/api/2.0/workspace/get-status", query: [("path", path)])
    }

    /// The direct children of the directory `path`.
    public func listWorkspace(path: String) async throws -> [JSONValue] {
        try await call("GET", "/api/2.0/workspace/list", query: [("path", path)])["objects"]?.arrayValue ?? []
    }

    public func mkdirs(path: String) async throws {
        try await call("POST", "/api/2.0/workspace/mkdirs", body: ["path": .string(path)])
    }

    public func deleteWorkspaceObject(path: String, recursive: Bool = false) async throws {
        try await call(
            "POST", "/api/2.0/workspace/delete", body: ["path": .string(path), "recursive": .bool(recursive)])
    }

    // MARK: Genie spaces

    /// `body`: `{warehouse_id, serialized_space (JSON text), title, description, parent_path}`.
    public func createGenieSpace(_ body: JSONValue) async throws -> JSONValue {
        try await call("POST", "/api/2.0/genie/spaces", body: body) { [self] in
            try await self.existingGenieSpace(
                title: body["title"]?.stringValue ?? "", warehouseID: body["warehouse_id"]?.stringValue)
        }
    }

    /// The space with its serialized definition.
    public func getGenieSpace(_ id: String) async throws -> JSONValue {
        try await call("GET", "/api/2.0/genie/spaces/\(id)", query: [("include_serialized_space", "true")])
    }

    public func listGenieSpaces() async throws -> [JSONValue] {
        try await paginate("/api/2.0/genie/spaces", itemsKey: "spaces")
    }

    /// `body` may carry `etag` for optimistic concurrency.
    @discardableResult
    public func updateGenieSpace(_ id: String, _ body: JSONValue) async throws -> JSONValue {
        try await call("PATCH", "/api/2.0/genie/spaces/\(id)", body: body)
    }

    public func trashGenieSpace(_ id: String) async throws {
        try await call("DELETE", "/api/2.0/genie/spaces/\(id)")
    }

    // MARK: Warehouses and identity

    public func listWarehouses() async throws -> [JSONValue] {
        try await paginate("/api/2.0/sql/warehouses", itemsKey: "warehouses")
    }

    public func getWarehouse(_ id: String) async throws -> JSONValue {
        try await call("GET", "/api/2.0/sql/warehouses/\(id)")
    }

    /// The calling identity (SCIM `Me`): `{userName, displayName, id, …}`.
    public func currentUser() async throws -> JSONValue {
        try await call("GET", "/api/2.0/preview/scim/v2/Me")
    }
}
