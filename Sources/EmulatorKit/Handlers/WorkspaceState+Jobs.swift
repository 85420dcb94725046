import Foundation
import LakegateCore

extension WorkspaceState {
    /// Keyed arrays of `JobSettings` that `jobs/update` merges element by element.
    static let keyedJobArrays = [
        "tasks": "task_key", "job_clusters": "job_cluster_key", "environments": "environment_key", "parameters": "name",
    ]

    /// `/api/2.{0,1,2}/jobs/{create|get|list|reset|update|delete}`.
    mutating func jobsAPI(_ call: Call) throws -> JSONValue {
        guard call.rest.count == 1 else { throw APIError.noEndpoint(call.method, call.request.path) }
        switch (call.method, call.rest[0]) {
        case ("POST", "create"):
            var settings = call.body
            settings["access_control_list"] = nil
            try Self.validateJobSettings(&settings)
            let id = nextJobID
            nextJobID += 1
            jobs[JobRecord.key(id)] = JobRecord(
                jobID: id, creatorUserName: call.principal, createdTime: call.now, settings: settings)
            var acl: [JSONValue] = [["user_name": .string(call.principal), "permission_level": "IS_OWNER"]]
            for entry in call.body["access_control_list"]?.arrayValue ?? [] { acl.append(entry) }
            accessControl["jobs/\(id)"] = try Self.normaliseACL(acl, levels: Self.jobPermissionLevels)
            return ["job_id": .int(id)]
        case ("GET", "get"):
            return try jobGet(call)
        case ("GET", "list"):
            return try jobList(call)
        case ("POST", "reset"):
            var record = try job(call.body["job_id"])
            guard var settings = call.body["new_settings"]?.objectValue else { throw APIError.missing("new_settings") }
            try Self.validateJobSettings(&settings)
            record.settings = settings
            jobs[JobRecord.key(record.jobID)] = record
            return [:]
        case ("POST", "update"):
            var record = try job(call.body["job_id"])
            var settings = record.settings
            for (key, value) in call.body["new_settings"]?.objectValue ?? [:] {
                if let idKey = Self.keyedJobArrays[key], let incoming = value.arrayValue {
                    settings[key] = .array(Self.merge(settings[key]?.arrayValue ?? [], incoming, by: idKey))
                } else {
                    settings[key] = value
                }
            }
            for field in call.body["fields_to_remove"]?.arrayValue ?? [] {
                guard let path = field.stringValue else { continue }
                let parts = path.split(separator: "/", maxSplits: 1).map(String.init)
                if parts.count == 2, let idKey = Self.keyedJobArrays[parts[0]] {
                    settings[parts[0]] = .array(
                        (settings[parts[0]]?.arrayValue ?? []).filter { $0[idKey]?.stringValue != parts[1] })
                } else {
                    settings[path] = nil
                }
            }
            try Self.validateJobSettings(&settings)
            record.settings = settings
            jobs[JobRecord.key(record.jobID)] = record
            return [:]
        case ("POST", "delete"):
            let record = try job(call.body["job_id"])
            jobs[JobRecord.key(record.jobID)] = nil
            accessControl["jobs/\(record.jobID)"] = nil
            return [:]
        default:
            throw APIError.noEndpoint(call.method, call.request.path)
        }
    }

    static func merge(_ current: [JSONValue], _ incoming: [JSONValue], by key: String) -> [JSONValue] {
        var result = current
        for item in incoming {
            if let id = item[key]?.stringValue, let i = result.firstIndex(where: { $0[key]?.stringValue == id }) {
                result[i] = item
            } else {
                result.append(item)
            }
        }
        return result
    }

    /// Checks task keys and dependencies and fills the defaults the service fills.
    static func validateJobSettings(_ settings: inout JSONObject) throws(APIError) {
        if settings["name"] == nil { settings["name"] = "Untitled" }
        if settings["max_concurrent_runs"] == nil { settings["max_concurrent_runs"] = 1 }
        if settings["timeout_seconds"] == nil { settings["timeout_seconds"] = 0 }
        if settings["email_notifications"] == nil { settings["email_notifications"] = [:] }
        if settings["format"] == nil { settings["format"] = "MULTI_TASK" }
        if let tags = settings["tags"]?.objectValue, tags.count > 25 {
            throw .invalid("A job can have at most 25 tags, got \(tags.count)")
        }
        let tasks = settings["tasks"]?.arrayValue ?? []
        var keys = Set<String>()
        for task in tasks {
            guard let key = task["task_key"]?.stringValue, !key.isEmpty else { throw .missing("tasks.task_key") }
            guard keys.insert(key).inserted else { throw .invalid("Task key '\(key)' is used more than once") }
        }
        for task in tasks {
            for dependency in task["depends_on"]?.arrayValue ?? [] {
                let key = dependency["task_key"]?.stringValue ?? ""
                guard keys.contains(key) else {
                    throw .invalid(
                        "Task \(task["task_key"]?.stringValue ?? "") depends on '\(key)', which is not in the job")
                }
            }
        }
        if let schedule = settings["schedule"]?.objectValue {
            guard schedule["quartz_cron_expression"]?.stringValue != nil else {
                throw .missing("schedule.quartz_cron_expression")
            }
            guard schedule["timezone_id"]?.stringValue != nil else { throw .missing("schedule.timezone_id") }
            if schedule["pause_status"] == nil {
                var filled = schedule
                filled["pause_status"] = "UNPAUSED"
                settings["schedule"] = .object(filled)
            }
        }
    }

    /// The job named by a `job_id` body or query value; a missing job is the historic 400.
    func job(_ value: JSONValue?) throws(APIError) -> JobRecord {
        let id: Int64?
        switch value {
        case .int(let i)?: id = i
        case .string(let s)?: id = Int64(s)
        default: id = nil
        }
        guard let id else { throw .missing("job_id") }
        guard let record = jobs[JobRecord.key(id)] else {
            throw APIError(status: 400, code: "INVALID_PARAMETER_VALUE", message: "Job \(id) does not exist.")
        }
        return record
    }

    /// `jobs/get`: at most 100 tasks, job clusters, environments and parameters per page.
    func jobGet(_ call: Call) throws -> JSONValue {
        let record = try job(call.query["job_id"].map(JSONValue.string))
        var settings = record.settings
        let start =
            try call.query["page_token"].flatMap { $0.isEmpty ? nil : $0 }.map { token throws(APIError) in
                guard let n = Int(try PageRequest.decode(token)) else { throw APIError.invalid("Invalid page_token") }
                return n
            } ?? 0
        var hasMore = false
        for key in ["tasks", "job_clusters", "environments", "parameters"] {
            guard let items = settings[key]?.arrayValue else { continue }
            let slice = Array(items.dropFirst(start).prefix(100))
            if items.count > start + 100 { hasMore = true }
            settings[key] = start > 0 && slice.isEmpty ? nil : .array(slice)
        }
        var result: JSONObject = [
            "job_id": .int(record.jobID), "creator_user_name": .string(record.creatorUserName),
            "run_as_user_name": .string(record.creatorUserName), "created_time": .int(record.createdTime),
            "settings": .object(settings), "has_more": .bool(hasMore),
        ]
        if hasMore { result["next_page_token"] = .string(PageRequest.encode(String(start + 100))) }
        return .object(result)
    }

    /// `jobs/list`: `limit` 1–100 (default 20), exact case-insensitive `name`, tasks only with `expand_tasks`.
    func jobList(_ call: Call) throws -> JSONValue {
        var limit = 20
        if let raw = call.query["limit"], !raw.isEmpty {
            guard let n = Int(raw), (0...100).contains(n) else {
                throw APIError.invalid("limit must be between 1 and 100, got \(raw)")
            }
            limit = n == 0 ? 20 : n
        }
        if call.query["offset"] != nil && call.query["page_token"] != nil {
            throw APIError.invalid("offset and page_token cannot be used together")
        }
        let after = try call.query["page_token"].flatMap { $0.isEmpty ? nil : $0 }.map { token throws(APIError) in
            try PageRequest.decode(token)
        }
        let name = call.query["name"]?.lowercased()
        let expand = call.flag("expand_tasks")
        var page: [JSONValue] = []
        var last: String?
        var more = false
        var skip = Int(call.query["offset"] ?? "") ?? 0
        for key in jobs.keys(withPrefix: "", after: after) {
            guard let record = jobs[key] else { continue }
            if let name, record.settings["name"]?.stringValue?.lowercased() != name { continue }
            if skip > 0 {
                skip -= 1
                continue
            }
            if page.count == limit {
                more = true
                break
            }
            var settings = record.settings
            if !expand {
                settings["tasks"] = nil
                settings["job_clusters"] = nil
            }
            page.append([
                "job_id": .int(record.jobID), "creator_user_name": .string(record.creatorUserName),
                "created_time": .int(record.createdTime), "settings": .object(settings),
            ])
            last = key
        }
        var result: JSONObject = ["has_more": .bool(more)]
        if !page.isEmpty { result["jobs"] = .array(page) }
        if more, let last { result["next_page_token"] = .string(PageRequest.encode(last)) }
        return .object(result)
    }
}
