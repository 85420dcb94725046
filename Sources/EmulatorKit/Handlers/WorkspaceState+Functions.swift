import Foundation
import LakegateCore

extension WorkspaceState {
    /// `/api/2.1/unity-catalog/functions[/{full_name}]`: create, get, list, update (owner), delete.
    mutating func functionsAPI(_ call: Call) throws -> JSONValue {
        switch (call.method, call.rest.count) {
        case ("POST", 0):
            guard let body = call.body["function_info"]?.objectValue else { throw APIError.missing("function_info") }
            guard let catalogName = body["catalog_name"]?.stringValue?.lowercased() else {
                throw APIError.missing("function_info.catalog_name")
            }
            guard let schemaName = body["schema_name"]?.stringValue?.lowercased() else {
                throw APIError.missing("function_info.schema_name")
            }
            guard let rawName = body["name"]?.stringValue else { throw APIError.missing("function_info.name") }
            let name = try Names.validate(rawName, kind: "function")
            _ = try schema("\(catalogName).\(schemaName)")
            let fullName = "\(catalogName).\(schemaName).\(name)"
            try functions.requireFree(fullName, kind: "function")
            var info = functionInfo(
                catalog: catalogName, schema: schemaName, name: name, principal: call.principal, now: call.now)
            info.copy(
                [
                    "input_params", "data_type", "full_data_type", "return_params", "routine_body",
                    "routine_definition",
                    "comment", "is_deterministic", "sql_data_access", "security_type", "parameter_style",
                    "is_null_call",
                    "external_language", "properties",
                ], from: body)
            functions[fullName] = info
            return .object(info)
        case ("GET", 0):
            let prefix = try schemaPrefix(listing: call)
            let page = try PageRequest(query: call.query)
            let (names, next) = page.page(functions, prefix: prefix)
            return listResult("functions", names.compactMap { functions[$0].map(JSONValue.object) }, next)
        case ("GET", 1):
            return .object(try function(call.rest[0]))
        case ("PATCH", 1):
            var info = try function(call.rest[0])
            info.copy(["owner"], from: call.body)
            info.stamp(call)
            functions[info["full_name"]?.stringValue ?? ""] = info
            return .object(info)
        case ("DELETE", 1):
            let info = try function(call.rest[0])
            let fullName = info["full_name"]?.stringValue ?? ""
            functions[fullName] = nil
            grants["function/\(fullName)"] = nil
            return [:]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    func function(_ fullName: String) throws(APIError) -> JSONObject {
        try schemaObject(fullName, kind: "function", in: functions) {
            .notFound("FUNCTION_DOES_NOT_EXIST", "Routine or Model '\($0)' does not exist.")
        }
    }
}
