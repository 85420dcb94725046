import Foundation
import LakegateCore

/// Unity Catalog securables (`/api/2.1/unity-catalog/…`). Full names go into paths raw, as the SDKs send them.
extension DatabricksClient {
    static let uc = "/api/2.1/unity-catalog"

    // MARK: Catalogs

    /// All catalogs, paged.
    public func listCatalogs() async throws -> [JSONValue] {
        try await paginate("\(Self.uc)/catalogs", query: [("max_results", "0")], itemsKey: "catalogs")
    }

    public func getCatalog(_ name: String) async throws -> JSONValue {
        try await call("GET", "\(Self.uc)/catalogs/\(name)")
    }

    /// `body`: `{name, comment, properties, storage_root, …}`.
    public func createCatalog(_ body: JSONValue) async throws -> CreateOutcome {
        try await create("\(Self.uc)/catalogs", body: body, readingBack: body["name"]?.stringValue ?? "") {
            [self] in try await self.getCatalog($0)
        }
    }

    /// `body`: `{new_name, comment, owner, properties, …}`.
    @discardableResult
    public func updateCatalog(_ name: String, _ body: JSONValue) async throws -> JSONValue {
        try await call("PATCH", "\(Self.uc)/catalogs/\(name)", body: body)
    }

    public func deleteCatalog(_ name: String, force: Bool = false) async throws {
        try await call("DELETE", "\(Self.uc)/catalogs/\(name)", query: [("force", force ? "true" : nil)])
    }

    // MARK: Schemas

    /// The schemas of `catalog`, paged.
    public func listSchemas(catalog: String) async throws -> [JSONValue] {
        try await paginate(
            "\(Self.uc)/schemas", query: [("catalog_name", catalog), ("max_results", "0")], itemsKey: "schemas")
    }

    public func getSchema(_ fullName: String) async throws -> JSONValue {
        try await call("GET", "\(Self.uc)/schemas/\(fullName)")
    }

    public func createSchema(_ body: JSONValue) async throws -> CreateOutcome {
        try await create("\(Self.uc)/schemas", body: body, readingBack: Self.fullName(body, "catalog_name", "name")) {
            [self] in try await self.getSchema($0)
        }
    }

    @discardableResult
    public func updateSchema(_ fullName: String, _ body: JSONValue) async throws -> JSONValue {
        try await call("PATCH", "\(Self.uc)/schemas/\(fullName)", body: body)
    }

    public func deleteSchema(_ fullName: String, force: Bool = false) async throws {
        try await call("DELETE", "\(Self.uc)/schemas/\(fullName)", query: [("force", force ? "true" : nil)])
    }

    // MARK: Tables

    /// The tables of `catalog.schema` with their columns and properties, paged.
    public func listTables(catalog: String, schema: String, maxResults: Int = 0) async throws -> [JSONValue] {
        try await paginate(
            "\(Self.uc)/tables",
            query: [("catalog_name", catalog), ("schema_name", schema), ("max_results", String(maxResults))],
            itemsKey: "tables")
    }

    public func getTable(_ fullName: String) async throws -> JSONValue {
        try await call("GET", "\(Self.uc)/tables/\(fullName)")
    }

    public func tableExists(_ fullName: String) async throws -> Bool {
        try await call("GET", "\(Self.uc)/tables/\(fullName)/exists")["table_exists"]?.boolValue ?? false
    }

    /// `{full_name, table_type}` of the tables of `catalog` matching the patterns, paged.
    public func listTableSummaries(
        catalog: String, schemaPattern: String? = nil, tablePattern: String? = nil
    ) async throws -> [JSONValue] {
        try await paginate(
            "\(Self.uc)/table-summaries",
            query: [
                ("catalog_name", catalog), ("schema_name_pattern", schemaPattern),
                ("table_name_pattern", tablePattern),
            ], itemsKey: "tables")
    }

    public func deleteTable(_ fullName: String) async throws {
        try await call("DELETE", "\(Self.uc)/tables/\(fullName)")
    }

    // MARK: Volumes

    public func listVolumes(catalog: String, schema: String) async throws -> [JSONValue] {
        try await paginate(
            "\(Self.uc)/volumes", query: [("catalog_name", catalog), ("schema_name", schema)], itemsKey: "volumes")
    }

    public func readVolume(_ fullName: String) async throws -> JSONValue {
        try await call("GET", "\(Self.uc)/volumes/\(fullName)")
    }

    public func createVolume(_ body: JSONValue) async throws -> CreateOutcome {
        try await create(
            "\(Self.uc)/volumes", body: body, readingBack: Self.fullName(body, "catalog_name", "schema_name", "name")
        ) { [self] in try await self.readVolume($0) }
    }

    @discardableResult
    public func updateVolume(_ fullName: String, _ body: JSONValue) async throws -> JSONValue {
        try await call("PATCH", "\(Self.uc)/volumes/\(fullName)", body: body)
    }

    public func deleteVolume(_ fullName: String) async throws {
        try await call("DELETE", "\(Self.uc)/volumes/\(fullName)")
    }

    // MARK: Functions

    public func listFunctions(catalog: String, schema: String) async throws -> [JSONValue] {
        try await paginate(
            "\(Self.uc)/functions", query: [("catalog_name", catalog), ("schema_name", schema), ("max_results", "0")],
            itemsKey: "functions")
    }

    public func getFunction(_ fullName: String) async throws -> JSONValue {
        try await call("GET", "\(Self.uc)/functions/\(fullName)")
    }

    /// `functionInfo`: `{name, catalog_name, schema_name, input_params, data_type, routine_body, routine_definition, …}`.
    public func createFunction(_ functionInfo: JSONValue) async throws -> CreateOutcome {
        try await create(
            "\(Self.uc)/functions", body: ["function_info": functionInfo],
            readingBack: Self.fullName(functionInfo, "catalog_name", "schema_name", "name")
        ) { [self] in try await self.getFunction($0) }
    }

    public func deleteFunction(_ fullName: String, force: Bool = false) async throws {
        try await call("DELETE", "\(Self.uc)/functions/\(fullName)", query: [("force", force ? "true" : nil)])
    }

    // MARK: Grants

    /// Direct grants on a securable (`securableType` lower-case: `catalog`, `schema`, `table`, `volume`, …).
    public func getGrants(securableType: String, fullName: String) async throws -> [JSONValue] {
        try await paginate(
            "\(Self.uc)/permissions/\(securableType)/\(fullName)", itemsKey: "privilege_assignments")
    }

    /// Applies `changes` (`[{principal, add, remove}]`); returns the resulting assignments.
    @discardableResult
    public func updateGrants(securableType: String, fullName: String, changes: [JSONValue]) async throws -> JSONValue {
        try await call(
            "PATCH", "\(Self.uc)/permissions/\(securableType)/\(fullName)", body: ["changes": .array(changes)])
    }

    /// Effective (inherited too) grants on a securable.
    public func getEffectiveGrants(securableType: String, fullName: String) async throws -> [JSONValue] {
        try await paginate(
            "\(Self.uc)/effective-permissions/\(securableType)/\(fullName)", itemsKey: "privilege_assignments")
    }

    // MARK: Entity tag assignments

    /// Tags on one entity (`entityType` plural: `catalogs`, `schemas`, `tables`, `columns`, `volumes`), paged.
    public func listTagAssignments(entityType: String, entityName: String) async throws -> [JSONValue] {
        try await paginate(
            "\(Self.uc)/entity-tag-assignments/\(entityType)/\(entityName)/tags", itemsKey: "tag_assignments")
    }

    public func createTagAssignment(entityType: String, entityName: String, key: String, value: String) async throws
        -> CreateOutcome
    {
        try await create(
            "\(Self.uc)/entity-tag-assignments",
            body: [
                "entity_type": .string(entityType), "entity_name": .string(entityName), "tag_key": .string(key),
                "tag_value": .string(value),
            ])
    }

    public func getTagAssignment(entityType: String, entityName: String, key: String) async throws -> JSONValue {
        try await call("GET", "\(Self.uc)/entity-tag-assignments/\(entityType)/\(entityName)/tags/\(key)")
    }

    @discardableResult
    public func updateTagAssignment(entityType: String, entityName: String, key: String, value: String) async throws
        -> JSONValue
    {
        try await call(
            "PATCH", "\(Self.uc)/entity-tag-assignments/\(entityType)/\(entityName)/tags/\(key)",
            query: [("update_mask", "tag_value")],
            body: [
                "entity_type": .string(entityType), "entity_name": .string(entityName), "tag_key": .string(key),
                "tag_value": .string(value),
            ])
    }

    public func deleteTagAssignment(entityType: String, entityName: String, key: String) async throws {
        try await call("DELETE", "\(Self.uc)/entity-tag-assignments/\(entityType)/\(entityName)/tags/\(key)")
    }

    // MARK: Quality monitors (legacy API, as bundles use it)

    public func getQualityMonitor(table: String) async throws -> JSONValue {
        try await call("GET", "\(Self.uc)/tables/\(table)/monitor")
    }

    public func createQualityMonitor(table: String, _ body: JSONValue) async throws -> CreateOutcome {
        try await create("\(Self.uc)/tables/\(table)/monitor", body: body) { [self] in
            try await self.existing { try await self.getQualityMonitor(table: table) }
        }
    }

    @discardableResult
    public func updateQualityMonitor(table: String, _ body: JSONValue) async throws -> JSONValue {
        try await call("PUT", "\(Self.uc)/tables/\(table)/monitor", body: body)
    }

    public func deleteQualityMonitor(table: String) async throws {
        try await call("DELETE", "\(Self.uc)/tables/\(table)/monitor")
    }
}
