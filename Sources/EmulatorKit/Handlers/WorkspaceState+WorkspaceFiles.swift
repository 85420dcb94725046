import Foundation
import LakegateCore

extension WorkspaceState {
    static let maxImportBytes = 10 * 1024 * 1024
    static let notebookExtensions = [".py": "PYTHON", ".sql": "SQL", ".scala": "SCALA", ".r": "R", ".ipynb": "PYTHON"]
    static let fileTypes = ["PYTHON": "py", "SQL": "sql", "SCALA": "scala", "R": "r"]

    /// `/api/2.0/workspace/{import|export|get-status|list|mkdirs|delete}`.
    mutating func workspaceAPI(_ call: Call, request: EmulatorRequest) throws -> EmulatorResponse {
        guard call.rest.count == 1 else { throw APIError.noEndpoint(call.method, call.request.path) }
        switch (call.method, call.rest[0]) {
        case ("POST", "import"):
            try importObject(call, request: request)
            return .json([:])
        case ("GET", "export"):
            return try export(call)
        case ("GET", "get-status"):
            let path = try Self.normalise(try call.requiredQuery("path"))
            return .json(try object(at: path).info)
        case ("GET", "list"):
            let path = try Self.normalise(try call.requiredQuery("path"))
            let target = try object(at: path)
            guard target.objectType == "DIRECTORY" else { return .json(["objects": [target.info]]) }
            let prefix = path == "/" ? "/" : path + "/"
            let children = workspaceObjects.keys(withPrefix: prefix).filter {
                $0 != "/" && !$0.dropFirst(prefix.count).contains("/")
            }
            let items = children.compactMap { workspaceObjects[$0]?.info }
            return .json(items.isEmpty ? [:] : ["objects": .array(items)])
        case ("POST", "mkdirs"):
            try mkdirs(try Self.normalise(try call.required("path")), now: call.now)
            return .json([:])
        case ("POST", "delete"):
            let path = try Self.normalise(try call.required("path"))
            let target = try object(at: path)
            let descendants = workspaceObjects.keys(withPrefix: path + "/")
            if target.objectType == "DIRECTORY" && !descendants.isEmpty && call.body["recursive"]?.boolValue != true {
                throw APIError(status: 400, code: "DIRECTORY_NOT_EMPTY", message: "Folder (\(path)) is not empty")
            }
            guard path != "/" else { throw APIError.invalid("The root folder cannot be deleted") }
            workspaceObjects.removeAll(withPrefix: path + "/")
            workspaceObjects[path] = nil
            return .json([:])
        default:
            throw APIError.noEndpoint(call.method, call.request.path)
        }
    }

    /// Absolute, without a trailing slash; `/Workspace/...` is the same path as `/...`.
    static func normalise(_ raw: String) throws(APIError) -> String {
        guard raw.hasPrefix("/") else { throw .invalid("Path (\(raw)) must be absolute") }
        var path = raw
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if path == "/Workspace" { return "/" }
        if path.hasPrefix("/Workspace/") { path = String(path.dropFirst("/Workspace".count)) }
        guard !path.contains("//") else { throw .invalid("Path (\(raw)) is not a valid path") }
        return path
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    func object(at path: String) throws(APIError) -> WorkspaceObject {
        guard let object = workspaceObjects[path] else {
            throw .notFound("RESOURCE_DOES_NOT_EXIST", "Path (\(path)) doesn't exist.")
        }
        return object
    }

    mutating func mkdirs(_ path: String, now: Int64) throws(APIError) {
        var chain: [String] = []
        var current = path
        while current != "/" {
            chain.append(current)
            current = Self.parent(current)
        }
        for directory in chain.reversed() {
            if let existing = workspaceObjects[directory] {
                guard existing.objectType == "DIRECTORY" else {
                    throw .alreadyExists(
                        "RESOURCE_ALREADY_EXISTS", "Path (\(directory)) already exists and is not a folder.")
                }
                continue
            }
            workspaceObjects[directory] = WorkspaceObject(
                path: directory, objectType: "DIRECTORY", objectID: nextObjectID, language: nil, content: Data(),
                createdAt: now, modifiedAt: now)
            nextObjectID += 1
        }
    }

    mutating func importObject(_ call: Call, request: EmulatorRequest) throws {
        var fields: [String: String] = [:]
        var content = Data()
        if let form = MultipartForm(contentType: request.headers["content-type"] ?? "", body: request.body) {
            for name in ["path", "format", "language", "overwrite"] { fields[name] = form.text(name) }
            content = form.fields["content"] ?? Data()
        } else {
            let body = try request.jsonBody()
            for name in ["path", "format", "language"] { fields[name] = body[name]?.stringValue }
            if body["overwrite"]?.boolValue == true { fields["overwrite"] = "true" }
            if let encoded = body["content"]?.stringValue {
                guard let decoded = Data(base64Encoded: encoded) else {
                    throw APIError.invalid("content is not valid base64")
                }
                content = decoded
            }
        }
        guard let rawPath = fields["path"], !rawPath.isEmpty else { throw APIError.missing("path") }
        var path = try Self.normalise(rawPath)
        guard content.count <= Self.maxImportBytes else {
            throw APIError(
                status: 400, code: "MAX_NOTEBOOK_SIZE_EXCEEDED",
                message: "File size imported is too large (\(content.count) bytes)")
        }
        let format = (fields["format"] ?? "SOURCE").uppercased()
        var language = fields["language"]?.uppercased()
        var type: String
        switch format {
        case "SOURCE":
            guard let lang = language, Self.fileTypes[lang] != nil else {
                throw APIError.invalid("The language field is required (PYTHON, SQL, SCALA or R) for SOURCE imports")
            }
            language = lang
            type = "NOTEBOOK"
        case "AUTO":
            let lower = path.lowercased()
            let ext = Self.notebookExtensions.keys.first { lower.hasSuffix($0) }
            let text = String(decoding: content.prefix(200), as: UTF8.self)
            let header = [
                "# Databricks notebook source", "-- Databricks notebook source", "// Databricks notebook source",
            ]
            if let ext, ext == ".ipynb" || header.contains(where: text.hasPrefix) {
                type = "NOTEBOOK"
                language = Self.notebookExtensions[ext]
                path = String(path.dropLast(ext.count))
            } else {
                type = "FILE"
                language = nil
            }
        case "RAW":
            type = "FILE"
            language = nil
        case "JUPYTER":
            type = "NOTEBOOK"
            language = language ?? "PYTHON"
            if path.lowercased().hasSuffix(".ipynb") { path = String(path.dropLast(6)) }
        case "DBC", "HTML", "R_MARKDOWN":
            throw APIError.invalid("The lakegate emulator does not support the \(format) import format")
        default:
            throw APIError.invalid("Unknown import format '\(format)'")
        }
        let parent = Self.parent(path)
        guard let folder = workspaceObjects[parent], folder.objectType == "DIRECTORY" else {
            throw APIError.notFound("RESOURCE_DOES_NOT_EXIST", "The parent folder (\(parent)) does not exist.")
        }
        var objectID = nextObjectID
        var createdAt = call.now
        if let existing = workspaceObjects[path] {
            guard existing.objectType != "DIRECTORY" else {
                throw APIError.alreadyExists(
                    "RESOURCE_ALREADY_EXISTS", "Path (\(path)) already exists and is a folder.")
            }
            guard fields["overwrite"]?.lowercased() == "true" else {
                throw APIError.alreadyExists("RESOURCE_ALREADY_EXISTS", "Path (\(path)) already exists.")
            }
            objectID = existing.objectID
            createdAt = existing.createdAt
        } else {
            nextObjectID += 1
        }
        workspaceObjects[path] = WorkspaceObject(
            path: path, objectType: type, objectID: objectID, language: language, content: content,
            createdAt: createdAt, modifiedAt: call.now)
    }

    func export(_ call: Call) throws -> EmulatorResponse {
        let path = try Self.normalise(try call.requiredQuery("path"))
        let target = try object(at: path)
        let format = (call.query["format"] ?? "SOURCE").uppercased()
        guard target.objectType != "DIRECTORY" else {
            throw APIError.invalid(
                "Exporting folders needs the DBC format, which the lakegate emulator does not support")
        }
        guard ["SOURCE", "AUTO", "RAW", "JUPYTER"].contains(format) else {
            throw APIError.invalid("The lakegate emulator does not support the \(format) export format")
        }
        if call.flag("direct_download") {
            return EmulatorResponse(
                status: 200, headers: ["Content-Type": "application/octet-stream"], body: target.content)
        }
        var result: JSONObject = ["content": .string(target.content.base64EncodedString())]
        if let language = target.language, let ext = Self.fileTypes[language] {
            result["file_type"] = .string(ext)
        } else if let dot = path.lastIndex(of: "."), !path[dot...].contains("/") {
            result["file_type"] = .string(String(path[path.index(after: dot)...]))
        }
        return .json(.object(result))
    }
}
