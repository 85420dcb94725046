import Foundation
import LakegateCore

extension WorkspaceState {
    /// `/api/2.1/unity-catalog/tables/{table_name}/monitor[/refreshes[/{id}]]`: the name-keyed quality monitors.
    mutating func monitorsAPI(_ call: Call) throws -> JSONValue {
        let record = try table(call.rest[0])
        let fullName = record.fullName
        if call.rest.count >= 3 && call.rest[2] == "refreshes" {
            guard monitors[fullName] != nil else { throw monitorMissing(fullName) }
            if call.method == "POST" && call.rest.count == 3 {
                return [
                    "refresh_id": .int(call.now), "state": "SUCCESS", "start_time_ms": .int(call.now),
                    "end_time_ms": .int(call.now), "trigger": "MANUAL",
                ]
            }
            if call.method == "GET" && call.rest.count == 3 { return ["refreshes": []] }
            throw APIError.notFound(
                "RESOURCE_DOES_NOT_EXIST", "Refresh \(call.rest.dropFirst(3).first ?? "") does not exist")
        }
        guard call.rest.count == 2 else { throw APIError.noEndpoint(call.method, call.request.path) }
        switch call.method {
        case "POST":
            guard monitors[fullName] == nil else {
                throw APIError.alreadyExists(
                    "RESOURCE_ALREADY_EXISTS", "Monitor for table '\(fullName)' already exists")
            }
            let assetsDir = try call.required("assets_dir")
            var info = try monitorInfo(call, table: record)
            info["assets_dir"] = .string(assetsDir)
            info["monitor_version"] = 1
            info["dashboard_id"] = .string(Names.uuid().replacingOccurrences(of: "-", with: ""))
            monitors[fullName] = info
            return .object(info)
        case "GET":
            guard let info = monitors[fullName] else { throw monitorMissing(fullName) }
            return .object(info)
        case "PUT":
            guard let existing = monitors[fullName] else { throw monitorMissing(fullName) }
            var info = try monitorInfo(call, table: record)
            info["assets_dir"] = existing["assets_dir"]
            info["dashboard_id"] = existing["dashboard_id"]
            info["monitor_version"] = .int((existing["monitor_version"]?.intValue ?? 1) + 1)
            monitors[fullName] = info
            return .object(info)
        case "DELETE":
            guard monitors[fullName] != nil else { throw monitorMissing(fullName) }
            monitors[fullName] = nil
            return [:]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    func monitorMissing(_ fullName: String) -> APIError {
        .notFound("RESOURCE_DOES_NOT_EXIST", "Monitor for table '\(fullName)' does not exist.")
    }

    /// The monitor fields from a create or update body; exactly one profile type is required.
    func monitorInfo(_ call: Call, table: TableRecord) throws -> JSONObject {
        let outputSchema = try call.required("output_schema_name").lowercased()
        _ = try schema(outputSchema)
        let profiles = ["snapshot", "time_series", "inference_log"].filter { call.body[$0] != nil }
        guard profiles.count == 1 else {
            throw APIError.invalid("Exactly one of snapshot, time_series or inference_log is required")
        }
        let base = "\(outputSchema).\(table.name)"
        var info: JSONObject = [
            "table_name": .string(table.fullName), "output_schema_name": .string(outputSchema),
            "status": "MONITOR_STATUS_ACTIVE", "profile_metrics_table_name": .string("\(base)_profile_metrics"),
            "drift_metrics_table_name": .string("\(base)_drift_metrics"),
        ]
        info.copy(
            [
                "snapshot", "time_series", "inference_log", "baseline_table_name", "custom_metrics", "slicing_exprs",
                "schedule", "notifications", "data_classification_config", "latest_monitor_failure_msg",
            ], from: call.body)
        if var schedule = info["schedule"]?.objectValue {
            if schedule["pause_status"] == nil { schedule["pause_status"] = "UNPAUSED" }
            info["schedule"] = .object(schedule)
        }
        return info
    }
}
