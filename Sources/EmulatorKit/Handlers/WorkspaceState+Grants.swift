import Foundation
import LakegateCore

extension WorkspaceState {
    /// Privileges that may be granted on each securable type.
    static let grantablePrivileges: [String: Set<String>] = {
        let data: Set<String> = ["ALL_PRIVILEGES", "APPLY_TAG", "MANAGE", "BROWSE"]
        let containers: Set<String> = data.union([
            "USE_SCHEMA", "SELECT", "MODIFY", "CREATE_TABLE", "CREATE_VOLUME", "CREATE_FUNCTION", "CREATE_MODEL",
            "READ_VOLUME", "WRITE_VOLUME", "EXECUTE", "REFRESH", "CREATE_MATERIALIZED_VIEW", "EXTERNAL_USE_SCHEMA",
        ])
        return [
            "catalog": containers.union(["USE_CATALOG", "CREATE_SCHEMA", "CREATE_FOREIGN_SECURABLE"]),
            "schema": containers,
            "table": data.union(["SELECT", "MODIFY", "REFRESH"]),
            "volume": data.union(["READ_VOLUME", "WRITE_VOLUME"]),
            "function": data.union(["EXECUTE"]),
            "metastore": [
                "CREATE_CATALOG", "CREATE_EXTERNAL_LOCATION", "CREATE_SHARE", "CREATE_RECIPIENT", "CREATE_PROVIDER",
                "USE_SHARE", "USE_RECIPIENT", "USE_PROVIDER", "CREATE_STORAGE_CREDENTIAL", "CREATE_CONNECTION",
                "SET_SHARE_PERMISSION", "MANAGE_ALLOWLIST", "USE_MARKETPLACE_ASSETS", "CREATE_SERVICE_CREDENTIAL",
            ],
        ]
    }()

    /// Checks that the securable exists; returns its normalised type and full name.
    func securable(_ rawType: String, _ rawName: String) throws(APIError) -> (type: String, name: String) {
        let type = rawType.lowercased()
        let name = rawName.lowercased()
        switch type {
        case "catalog": _ = try catalog(name)
        case "schema": _ = try schema(name)
        case "table": _ = try table(name)
        case "volume": _ = try volume(name)
        case "function": _ = try function(name)
        case "metastore":
            guard name == metastoreID else {
                throw .notFound("METASTORE_DOES_NOT_EXIST", "Metastore '\(name)' does not exist.")
            }
        default:
            throw .invalid("The lakegate emulator does not support permissions on securable type '\(rawType)'")
        }
        return (type, name)
    }

    /// `/api/2.1/unity-catalog/permissions/{type}/{full_name}`: GET and PATCH with `changes`.
    mutating func permissionsAPI(_ call: Call) throws -> JSONValue {
        guard call.rest.count == 2 else { throw APIError.noEndpoint(call.method, call.request.path) }
        let (type, name) = try securable(call.rest[0], call.rest[1])
        let key = "\(type)/\(name)"
        switch call.method {
        case "GET":
            return try assignmentsPage(grants[key] ?? [:], call)
        case "PATCH":
            grants[key] = try Self.apply(
                changes: call.body["changes"], to: grants[key] ?? [:], allowed: Self.grantablePrivileges[type] ?? [])
            if grants[key]?.isEmpty == true { grants[key] = nil }
            if call.body["omit_permissions_in_response"]?.boolValue == true { return [:] }
            return ["privilege_assignments": Self.assignments(grants[key] ?? [:], principal: nil)]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    /// Applies `[{principal, add, remove}]` to principal → privileges.
    static func apply(changes: JSONValue?, to current: [String: [String]], allowed: Set<String>) throws(APIError)
        -> [String: [String]]
    {
        guard let changes = changes?.arrayValue else { throw .missing("changes") }
        var result = current
        for change in changes {
            guard let principal = change["principal"]?.stringValue, !principal.isEmpty else {
                throw .missing("changes.principal")
            }
            var privileges = Set(result[principal] ?? [])
            for privilege in change["add"]?.arrayValue ?? [] {
                guard let p = privilege.stringValue?.uppercased().replacingOccurrences(of: " ", with: "_") else {
                    throw .invalid("A privilege must be a string")
                }
                guard allowed.contains(p) else { throw .invalid("Privilege \(p) is not applicable to this entity") }
                privileges.insert(p)
            }
            for privilege in change["remove"]?.arrayValue ?? [] {
                if let p = privilege.stringValue?.uppercased().replacingOccurrences(of: " ", with: "_") {
                    privileges.remove(p)
                }
            }
            result[principal] = privileges.isEmpty ? nil : privileges.sorted()
        }
        return result
    }

    static func assignments(_ grants: [String: [String]], principal: String?) -> JSONValue {
        .array(
            grants.keys.sorted().filter { principal == nil || $0 == principal }.map { p in
                ["principal": .string(p), "privileges": .array((grants[p] ?? []).map { .string($0) })]
            })
    }

    /// Unpaginated unless `max_results` is set; 0 is the server default, 1–149 are rejected.
    func assignmentsPage(_ grants: [String: [String]], _ call: Call) throws -> JSONValue {
        let principal = call.query["principal"]
        if let raw = call.query["max_results"], let size = Int(raw), size > 0, size < 150 {
            throw APIError.invalid("max_results must be 0 or at least 150, got \(size)")
        }
        let page = try PageRequest(query: call.query, defaultSize: 150, maximum: 10000)
        let principals = grants.keys.sorted().filter { principal == nil || $0 == principal }
        let after = page.after
        let (names, next) = page.page(principals.filter { after == nil || $0 > after! })
        var result: JSONObject = [
            "privilege_assignments": .array(
                names.map { ["principal": .string($0), "privileges": .array((grants[$0] ?? []).map { .string($0) })] })
        ]
        if let next { result["next_page_token"] = .string(next) }
        return .object(result)
    }

    /// `/api/2.1/unity-catalog/effective-permissions/{type}/{full_name}`: direct grants plus those inherited
    /// from the parents, each inherited privilege naming where it comes from.
    func effectivePermissionsAPI(_ call: Call) throws -> JSONValue {
        guard call.method == "GET" else { throw APIError.methodNotAllowed(call.method, call.request.path) }
        guard call.rest.count == 2 else { throw APIError.noEndpoint(call.method, call.request.path) }
        let (type, name) = try securable(call.rest[0], call.rest[1])
        var sources: [(type: String, name: String, inherited: Bool)] = [(type, name, false)]
        let parts = name.split(separator: ".").map(String.init)
        if type != "metastore" {
            if parts.count >= 3 { sources.append(("schema", "\(parts[0]).\(parts[1])", true)) }
            if parts.count >= 2 { sources.append(("catalog", parts[0], true)) }
            sources.append(("metastore", metastoreID, true))
        }
        var byPrincipal: [String: [JSONValue]] = [:]
        for source in sources {
            for (principal, privileges) in grants["\(source.type)/\(source.name)"] ?? [:] {
                for privilege in privileges {
                    var entry: JSONObject = ["privilege": .string(privilege)]
                    if source.inherited {
                        entry["inherited_from_type"] = .string(source.type.uppercased())
                        entry["inherited_from_name"] = .string(source.name)
                    }
                    byPrincipal[principal, default: []].append(.object(entry))
                }
            }
        }
        let principal = call.query["principal"]
        let items: [JSONValue] = byPrincipal.keys.sorted().filter { principal == nil || $0 == principal }.map {
            ["principal": .string($0), "privileges": .array(byPrincipal[$0] ?? [])]
        }
        return ["privilege_assignments": .array(items)]
    }
}
