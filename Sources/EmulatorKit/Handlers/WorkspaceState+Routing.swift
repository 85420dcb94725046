import Foundation
import LakegateCore

extension WorkspaceState {
    /// Dispatches an `/api/...` request to its handler.
    mutating func route(_ request: EmulatorRequest, principal: String, now: Int64) throws -> EmulatorResponse {
        let segments = request.segments
        guard segments.count >= 3 else { throw APIError.noEndpoint(request.method, request.path) }
        let version = segments[1]
        let area = segments[2]
        func call(dropping count: Int) throws -> Call {
            let body = request.method == "GET" || request.method == "DELETE" ? [:] : try request.jsonBody()
            return Call(
                method: request.method, rest: Array(segments.dropFirst(count)), query: request.query, body: body,
                request: request, principal: principal, now: now)
        }
        switch (version, area) {
        case ("2.1", "unity-catalog") where segments.count >= 4:
            return .json(try unityCatalog(collection: segments[3], call(dropping: 4)))
        case ("2.0", "sql") where segments.count >= 4 && segments[3] == "statements":
            return .json(try statementsAPI(call(dropping: 4)))
        case ("2.0", "sql") where segments.count >= 4 && segments[3] == "warehouses":
            return .json(try warehousesAPI(call(dropping: 4)))
        case ("2.0", "genie") where segments.count >= 4 && segments[3] == "spaces":
            return .json(try genieAPI(call(dropping: 4)))
        case ("2.2", "jobs"), ("2.1", "jobs"), ("2.0", "jobs"):
            return .json(try jobsAPI(call(dropping: 3)))
        case ("2.0", "permissions"):
            return .json(try objectPermissionsAPI(call(dropping: 3)))
        case ("2.0", "workspace"):
            let isImport = segments.count == 4 && segments[3] == "import"
            let c =
                isImport
                ? Call(
                    method: request.method, rest: ["import"], query: request.query, body: [:], request: request,
                    principal: principal, now: now) : try call(dropping: 3)
            return try workspaceAPI(c, request: request)
        default:
            throw APIError.noEndpoint(request.method, request.path)
        }
    }

    mutating func unityCatalog(collection: String, _ call: Call) throws -> JSONValue {
        switch collection {
        case "catalogs": return try catalogs(call)
        case "schemas": return try schemasAPI(call)
        case "tables": return try tablesAPI(call)
        case "table-summaries": return try tableSummaries(call)
        case "volumes": return try volumesAPI(call)
        case "functions": return try functionsAPI(call)
        case "permissions": return try permissionsAPI(call)
        case "effective-permissions": return try effectivePermissionsAPI(call)
        case "entity-tag-assignments": return try tagAssignmentsAPI(call)
        case "shares": return try sharesAPI(call)
        case "recipients": return try recipientsAPI(call)
        default: throw APIError.noEndpoint(call.method, call.request.path)
        }
    }
}
