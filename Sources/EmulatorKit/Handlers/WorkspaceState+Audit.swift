import Foundation
import LakegateCore

extension WorkspaceState {
    /// Records the audit event of a state-changing API call that succeeded. SQL statements record their own
    /// (``recordStatementAudit(_:session:call:)``): only the ones that changed something are audited.
    mutating func recordAudit(_ request: EmulatorRequest, principal: String, response: EmulatorResponse, now: Int64) {
        let segments = request.segments
        guard request.method != "GET", response.status < 400, segments.count >= 3, segments[0] == "api" else { return }
        let area = segments[2]
        if area == "sql", segments.count >= 4, segments[3] == "statements" { return }
        let body = (try? request.jsonBody()) ?? [:]
        let answer = (try? JSONValue(parsing: response.body))?.objectValue ?? [:]
        var params: [String: String] = [:]
        // Identifiers of the body and the answer (job_id, space_id of a create), never contents or settings.
        for (key, value) in body where value.stringValue != nil || value.intValue != nil {
            guard !["content", "serialized_space", "definition"].contains(key) else { continue }
            params[key] = value.stringValue ?? value.intValue.map { String($0) }
        }
        for settings in ["settings", "new_settings"] {
            if let name = body[settings]?["name"]?.stringValue { params["name"] = name }
        }
        for key in ["job_id", "space_id", "object_id"] {
            if let value = answer[key], params[key] == nil {
                params[key] = value.stringValue ?? value.intValue.map { String($0) }
            }
        }
        let verb =
            switch request.method {
            case "POST": "create"
            case "DELETE": "delete"
            default: "update"
            }
        let service: String
        let action: String
        switch area {
        case "unity-catalog" where segments.count >= 4:
            let collection = segments[3]
            let rest = Array(segments.dropFirst(4))
            service = "unityCatalog"
            if collection == "permissions", rest.count >= 2 {
                params["securable_type"] = rest[0]
                params["full_name_arg"] = rest[1]
                action = "updatePermissions"
            } else {
                if let first = rest.first { params["full_name_arg"] = first }
                // `entity-tag-assignments` → `EntityTagAssignment`; a table's `monitor` → `Monitor`.
                let noun = collection.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
                let singular = noun.hasSuffix("s") ? String(noun.dropLast()) : noun
                action = verb + (rest.last == "monitor" ? "Monitor" : singular)
            }
        case "jobs":
            service = "jobs"
            action = segments.dropFirst(3).joined(separator: "/")
        case "permissions" where segments.count >= 5:
            service = segments[3] == "jobs" ? "jobs" : "permissions"
            action = segments[3] == "jobs" ? "changeJobAcl" : "changePermissions"
            params["object_type"] = segments[3]
            params["object_id"] = segments[4]
            if segments[3] == "jobs" { params["job_id"] = segments[4] }
        case "workspace":
            service = "workspace"
            action = segments.dropFirst(3).joined(separator: "/")
        case "genie":
            service = "aibiGenie"
            if segments.count >= 5 { params["space_id"] = segments[4] }
            action = verb + "Space"
        default:
            service = area
            action = request.method.lowercased() + segments.dropFirst(3).joined(separator: "/")
        }
        appendAudit(service: service, action: action, params: params, principal: principal, now: now, status: 200)
    }

    /// Audits a statement that changed something: the SQL command, and the Unity Catalog change it made on the
    /// securable it names (resolved against the session's catalog and schema), as a real warehouse logs both.
    mutating func recordStatementAudit(_ sql: String, statement: SQLStatement, session: SQLSession, call: Call) {
        let target: (String, QualifiedName)? =
            switch statement {
            case .select: nil
            case .createTable(let create): ("createTable", create.name)
            case .createView(let create): ("createTable", create.name)
            case .alterTable(let name, _), .commentOnTable(let name, _), .commentOnColumn(let name, _, _):
                ("updateTables", name)
            case .alterSecurableTags(let kind, let name, _, _): ("update" + kind.capitalized, name)
            case .dropTable(let name, _): ("deleteTable", name)
            case .createFunction(let create): ("createFunction", create.name)
            case .dropFunction(let name, _): ("deleteFunction", name)
            }
        guard let target else { return }
        let (action, name) = target
        let full: String
        if case .alterSecurableTags(let kind, _, _, _) = statement, kind != "volume" {
            full = name.parts.map { $0.lowercased() }.joined(separator: ".")
        } else {
            full = ((try? session.resolve(name)) ?? name.parts.map { $0.lowercased() }).joined(separator: ".")
        }
        var command: [String: String] = ["commandText": sql]
        command["warehouseId"] = call.string("warehouse_id")
        appendAudit(
            service: "databrickssql", action: "commandSubmit", params: command, principal: call.principal,
            now: call.now, status: 200)
        appendAudit(
            service: "unityCatalog", action: action, params: ["full_name_arg": full], principal: call.principal,
            now: call.now, status: 200)
    }

    mutating func appendAudit(
        service: String, action: String, params: [String: String], principal: String, now: Int64, status: Int
    ) {
        var log = auditLog ?? []
        log.append(
            AuditRecord(
                eventID: UUID().uuidString.lowercased(), eventTime: now, serviceName: service, actionName: action,
                requestID: "emulator-\(log.count + 1)", requestParams: params, userEmail: principal,
                statusCode: status))
        auditLog = log
    }

    /// `SELECT … FROM system.access.audit [WHERE …] [ORDER BY …] [LIMIT n]`. `event_time` and `event_date`
    /// compare as times (`>=`, `>`, `<`, `<=` with an RFC 3339 or `yyyy-MM-dd` literal); the rest as text.
    func selectAudit(_ query: SelectStatement) throws(SQLError) -> SQLResult {
        let columns = AuditRecord.columns
        for column in query.conditions.map(\.column) + query.orderBy.map(\.column) where !columns.contains(column) {
            throw SQLError.columnNotFound(column, table: "system.access.audit")
        }
        var rows = (auditLog ?? []).map { $0.row(workspaceID: workspaceID) }
        for condition in query.conditions {
            let i = columns.firstIndex(of: condition.column) ?? 0
            if let order = condition.order {
                guard ["event_time", "event_date"].contains(condition.column) else {
                    throw SQLError.unsupported(
                        "\(order.rawValue) on \(condition.column) (only on event_time, event_date)")
                }
                guard let bound = Self.auditTime(condition.value) else {
                    throw SQLError(
                        code: "INVALID_TIMESTAMP", message: "'\(condition.value)' is not a timestamp", sqlState: "22007"
                    )
                }
                rows = rows.filter { row in
                    guard let value = row[i].flatMap(Self.auditTime) else { return false }
                    switch order {
                    case .greater: return value > bound
                    case .greaterOrEqual: return value >= bound
                    case .less: return value < bound
                    case .lessOrEqual: return value <= bound
                    }
                }
            } else {
                rows = rows.filter { ($0[i] == condition.value) == condition.equal }
            }
        }
        return try Self.ordered(rows, columns: columns, query, table: "system.access.audit")
    }

    /// An RFC 3339 time (with or without fractional seconds) or a `yyyy-MM-dd` date, in epoch seconds.
    static func auditTime(_ text: String) -> Double? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date.timeIntervalSince1970
        }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date.timeIntervalSince1970 }
        if text.count == 10, let date = try? Date(text + "T00:00:00Z", strategy: Date.ISO8601FormatStyle()) {
            return date.timeIntervalSince1970
        }
        return nil
    }
}
