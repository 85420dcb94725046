import LakegateCore

/// A grant change for one principal: the body of one entry of a permissions `PATCH` `changes` list.
public struct GrantChange: Sendable, Hashable {
    public var principal: String
    public var add: [String]
    public var remove: [String]

    public init(principal: String, add: [String], remove: [String]) {
        self.principal = principal
        self.add = add.sorted()
        self.remove = remove.sorted()
    }

    public var jsonValue: JSONValue {
        .object([
            "principal": .string(principal),
            "add": .array(add.map { .string($0) }),
            "remove": .array(remove.map { .string($0) }),
        ])
    }
}

/// One narrow workspace call the executor makes; the planner picks the narrowest that does the job.
public enum PlanOperation: Sendable, Hashable {
    /// Create the object through its REST create call from the desired resource
    /// (catalog, schema, volume, recipient, share, Genie space, job, quality monitor).
    case create(Resource)
    /// Change only these fields through the REST update call (`PATCH`, or `PUT` for monitors).
    /// A removed field is sent as its empty value (`""`, `{}`).
    case patch([String: JSONValue])
    /// One permissions `PATCH` with `changes` per principal.
    case grants(securable: String, changes: [GrantChange])
    /// Set one tag through the entity tag assignments API (`entityType` is plural: `catalogs`, `schemas`, `volumes`).
    case setTag(entityType: String, entityName: String, key: String, value: String)
    /// Remove one tag through the entity tag assignments API.
    case unsetTag(entityType: String, entityName: String, key: String)
    /// One SQL statement through the statement execution API (tables, functions).
    case sql(String)
    /// `jobs/reset` with the full settings.
    case resetJob(settings: JSONValue)
    /// `PUT` job permissions with the full access control list.
    case setJobPermissions([JSONValue])
    /// Share `PATCH` with `updates`: objects to remove, then objects to add.
    case updateShareObjects(add: [JSONValue], remove: [JSONValue])
    /// Workspace import with overwrite of a notebook file read from the product.
    case importNotebook(path: String, language: String, source: String)
    /// Delete the object (by its live id or full name).
    case delete

    /// A short JSON description, part of the plan JSON and its digest.
    public var jsonValue: JSONValue {
        switch self {
        case .create(let resource): ["op": "create", "fields": .object(resource.fields)]
        case .patch(let fields): ["op": "patch", "fields": .object(fields)]
        case .grants(let securable, let changes):
            ["op": "grants", "securable": .string(securable), "changes": .array(changes.map(\.jsonValue))]
        case .setTag(let type, let name, let key, let value):
            [
                "op": "set_tag", "entity_type": .string(type), "entity_name": .string(name), "key": .string(key),
                "value": .string(value),
            ]
        case .unsetTag(let type, let name, let key):
            ["op": "unset_tag", "entity_type": .string(type), "entity_name": .string(name), "key": .string(key)]
        case .sql(let statement): ["op": "sql", "statement": .string(statement)]
        case .resetJob(let settings): ["op": "reset_job", "settings": settings]
        case .setJobPermissions(let acl): ["op": "set_job_permissions", "access_control_list": .array(acl)]
        case .updateShareObjects(let add, let remove):
            ["op": "update_share_objects", "add": .array(add), "remove": .array(remove)]
        case .importNotebook(let path, let language, let source):
            ["op": "import_notebook", "path": .string(path), "language": .string(language), "source": .string(source)]
        case .delete: ["op": "delete"]
        }
    }

    /// Whether the call changes the workspace (all do; kept for counting writes in reports).
    public var summary: String {
        switch self {
        case .create: "create"
        case .patch(let fields): "patch " + fields.keys.sorted().joined(separator: ",")
        case .grants(let securable, let changes): "grants on \(securable) (\(changes.count) principals)"
        case .setTag(_, _, let key, _): "set tag \(key)"
        case .unsetTag(_, _, let key): "unset tag \(key)"
        case .sql(let statement): statement
        case .resetJob: "reset job settings"
        case .setJobPermissions: "set job permissions"
        case .updateShareObjects(let add, let remove): "share objects +\(add.count) -\(remove.count)"
        case .importNotebook(let path, _, _): "import \(path)"
        case .delete: "delete"
        }
    }
}
