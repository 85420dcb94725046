import Foundation
import LakegateCore

/// Jobs API 2.2 and job permissions.
extension DatabricksClient {
    static let jobs = "/api/2.2/jobs"

    /// Creates a job from JobSettings; returns its id.
    public func createJob(_ settings: JSONValue) async throws -> Int64 {
        let answer = try await call("POST", "\(Self.jobs)/create", body: settings) { [self] in
            try await self.existingJob(name: settings["name"]?.stringValue ?? "", tags: settings["tags"])
        }
        guard let id = answer["job_id"]?.intValue else {
            throw DatabricksError(
                kind: .invalidResponse, message: "jobs/create answered without job_id", method: "POST",
                path: "\(Self.jobs)/create", status: 200)
        }
        return id
    }

    /// The job with all its settings: pages of tasks, job clusters, environments and parameters are merged.
    public func getJob(_ id: Int64) async throws -> JSONValue {
        var job = try await call("GET", "\(Self.jobs)/get", query: [("job_id", String(id))])
        var token = job["next_page_token"]?.stringValue
        while let pageToken = token, !pageToken.isEmpty {
            let page = try await call(
                "GET", "\(Self.jobs)/get", query: [("job_id", String(id)), ("page_token", pageToken)])
            if var settings = job["settings"]?.objectValue, let more = page["settings"]?.objectValue {
                for key in ["tasks", "job_clusters", "environments", "parameters"] {
                    if let extra = more[key]?.arrayValue {
                        settings[key] = .array((settings[key]?.arrayValue ?? []) + extra)
                    }
                }
                if case .object(var object) = job {
                    object["settings"] = .object(settings)
                    job = .object(object)
                }
            }
            token = page["next_page_token"]?.stringValue
        }
        if case .object(var object) = job {
            object["next_page_token"] = nil
            object["has_more"] = nil
            job = .object(object)
        }
        return job
    }

    /// All jobs (with their tasks when `expandTasks`), optionally only those named `name` (exact, case-insensitive).
    public func listJobs(name: String? = nil, expandTasks: Bool = true) async throws -> [JSONValue] {
        try await paginate(
            "\(Self.jobs)/list",
            query: [("limit", "100"), ("name", name), ("expand_tasks", expandTasks ? "true" : nil)], itemsKey: "jobs")
    }

    /// Replaces all settings of a job.
    public func resetJob(_ id: Int64, settings: JSONValue) async throws {
        try await call("POST", "\(Self.jobs)/reset", body: ["job_id": .int(id), "new_settings": settings])
    }

    /// Partial update: top-level fields replaced, tasks merged by key, `fieldsToRemove` removed.
    public func updateJob(_ id: Int64, settings: JSONValue, fieldsToRemove: [String] = []) async throws {
        var body: [String: JSONValue] = ["job_id": .int(id), "new_settings": settings]
        if !fieldsToRemove.isEmpty { body["fields_to_remove"] = .array(fieldsToRemove.map { .string($0) }) }
        try await call("POST", "\(Self.jobs)/update", body: .object(body))
    }

    public func deleteJob(_ id: Int64) async throws {
        try await call("POST", "\(Self.jobs)/delete", body: ["job_id": .int(id)])
    }

    /// `{access_control_list: [{user_name|group_name|service_principal_name, all_permissions: […]}]}`.
    public func getJobPermissions(_ id: Int64) async throws -> JSONValue {
        try await call("GET", "/api/2.0/permissions/jobs/\(id)")
    }

    /// Replaces the job's access control list (`[{user_name|group_name|service_principal_name, permission_level}]`).
    @discardableResult
    public func setJobPermissions(_ id: Int64, acl: [JSONValue]) async throws -> JSONValue {
        try await call("PUT", "/api/2.0/permissions/jobs/\(id)", body: ["access_control_list": .array(acl)])
    }

    /// Adds to the job's access control list.
    @discardableResult
    public func updateJobPermissions(_ id: Int64, acl: [JSONValue]) async throws -> JSONValue {
        try await call("PATCH", "/api/2.0/permissions/jobs/\(id)", body: ["access_control_list": .array(acl)])
    }
}
