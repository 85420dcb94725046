import Foundation
import LakegateCore
import Logging

/// Reads the live state of a product for one target: the objects the desired state names, the objects the
/// inventory records, and the objects that carry this product's and target's ownership markers.
///
/// Its cost depends on this product only, never on how many other products share the workspace: catalogs,
/// recipients, shares and jobs are read by name or inventory id (jobs not in the inventory through the Jobs API's
/// exact-name filter), never by listing the whole workspace. Inside a catalog it lists per parent, paged (schemas
/// per catalog, tables with columns per schema, volumes and functions per schema), reads tags with one SQL
/// statement per catalog and tag view, and makes per-object calls only where no list exists (grants that the
/// desired state manages, share contents, job settings, notebooks, Genie spaces, monitors). A failed read is
/// recorded in ``LiveSnapshot/failures`` and never turns into absent. Given ``SharedReads``, the catalog, schema
/// listing, tag-view, per-schema listing and warehouse reads are shared with the other products read in the
/// same pass.
///
/// So an object is found only where the desired state or the inventory names it or its catalog (objects
/// inside a catalog read are also found by their ownership markers): a catalog or job that carries this
/// product's markers but that neither names is not looked for.
public struct LiveStateReader: Sendable {
    let client: DatabricksClient
    let warehouseID: String?
    /// Catalog, listing and tag reads shared with the other products read in the same pass; nil reads all.
    let shared: SharedReads?

    /// - Parameters:
    ///   - warehouseID: the SQL warehouse for tag queries; nil uses the configured one, else the first listed.
    ///   - shared: the controller's reads of this pass, shared by the products of one workspace.
    public init(client: DatabricksClient, warehouseID: String? = nil, shared: SharedReads? = nil) {
        self.client = client
        self.warehouseID = warehouseID ?? client.config.warehouseID
        self.shared = shared
    }

    /// One object to look for: its key, kind and full name, from the desired state and/or the inventory.
    struct Wanted: Sendable {
        var key: String
        var kind: ResourceKind
        var name: String
        var desired: Resource?
        var liveID: String?
    }

    /// Reads the snapshot. Never throws: failures are part of the snapshot.
    ///
    /// - Parameter unclaimedTables: also list the tables of the desired state's schemas that carry no ownership
    ///   markers and that the desired state does not name, into ``LiveSnapshot/unclaimedTables`` (for capture).
    public func read(desired: DesiredState, inventory: [InventoryEntry], unclaimedTables: Bool = false) async
        -> LiveSnapshot
    {
        await run(desired: desired, inventory: inventory, unclaimedTables: unclaimedTables).snapshot()
    }

    /// Reads the snapshot for a plan: complete, or not at all.
    ///
    /// - Throws: ``IncompleteSnapshotError`` naming every read that failed after its retries (401, 403, a
    ///   parent the product needs but does not create, 5xx, a timeout, a malformed page).
    public func readComplete(desired: DesiredState, inventory: [InventoryEntry]) async throws -> LiveSnapshot {
        let run = await run(desired: desired, inventory: inventory, unclaimedTables: false)
        let failures = await run.failureDetails()
        guard failures.isEmpty else {
            throw IncompleteSnapshotError(product: desired.product, target: desired.target, failures: failures)
        }
        return await run.snapshot()
    }

    func run(desired: DesiredState, inventory: [InventoryEntry], unclaimedTables: Bool) async -> ReadRun {
        let run = ReadRun(
            client: client, product: desired.product, target: desired.target, shared: shared,
            unclaimedTableSchemas: unclaimedTables
                ? Set(desired.resources.filter { $0.kind == .schema }.map { $0.name.lowercased() }) : [])
        var wanted: [String: Wanted] = [:]
        for resource in desired.resources {
            wanted[resource.key] = Wanted(
                key: resource.key, kind: resource.kind, name: Self.normalizedName(resource.name, kind: resource.kind),
                desired: resource)
        }
        for entry in inventory where entry.product == desired.product && entry.target == desired.target {
            if var existing = wanted[entry.key] {
                existing.liveID = entry.liveID
                wanted[entry.key] = existing
            } else {
                wanted[entry.key] = Wanted(
                    key: entry.key, kind: entry.kind, name: Self.normalizedName(entry.name, kind: entry.kind),
                    liveID: entry.liveID)
            }
        }
        await run.read(Array(wanted.values), warehouseID: warehouseID)
        return run
    }

    /// Unity Catalog names are stored lower-case.
    static func normalizedName(_ name: String, kind: ResourceKind) -> String {
        switch kind {
        case .catalog, .schema, .table, .volume, .function, .share, .recipient, .qualityMonitor: name.lowercased()
        case .notebook, .genieSpace, .job: name
        }
    }
}

/// The mutable state of one read: results, failures, and the requests that produced them.
actor ReadRun {
    let client: DatabricksClient
    let product: String
    let target: String
    private var resources: [String: LiveResource] = [:]
    private var absent: Set<String> = []
    private var failures: [IncompleteSnapshotError.Failure] = []
    /// Schemas (`catalog.schema`) whose unmarked tables are listed as unclaimed.
    let unclaimedTableSchemas: Set<String>
    private var unclaimed: [LiveResource] = []
    private var unclaimedOther: [LiveResource] = []
    private var duplicates: [LiveResource] = []

    /// Reads shared with the other products of the pass (``SharedReads``); nil makes every read.
    let shared: SharedReads?

    init(
        client: DatabricksClient, product: String, target: String, shared: SharedReads? = nil,
        unclaimedTableSchemas: Set<String> = []
    ) {
        self.client = client
        self.product = product
        self.target = target
        self.shared = shared
        self.unclaimedTableSchemas = unclaimedTableSchemas
    }

    /// `fetch`'s answer, made once per pass for all the products that read `key` when reads are shared.
    nonisolated func sharedRead<T: Sendable>(_ key: String, _ fetch: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        guard let shared else { return try await fetch() }
        return try await shared.value(key, fetch)
    }

    func snapshot() -> LiveSnapshot {
        var snapshot = LiveSnapshot(
            resources: resources, absent: absent, complete: failures.isEmpty,
            failures: failures.map(\.description).sorted())
        snapshot.unclaimedTables = unclaimed.sorted { $0.name < $1.name }
        snapshot.unclaimedObjects = unclaimedOther.sorted { ($0.kind, $0.name) < ($1.kind, $1.name) }
        snapshot.duplicates = duplicates.sorted { ($0.key, $0.id) < ($1.key, $1.id) }
        return snapshot
    }

    func foundUnclaimed(_ resource: LiveResource) {
        if resource.kind == .table { unclaimed.append(resource) } else { unclaimedOther.append(resource) }
    }

    func found(_ resource: LiveResource) { resources[resource.key] = resource }
    func foundDuplicate(_ resource: LiveResource) { duplicates.append(resource) }
    func missing(_ key: String) { absent.insert(key) }
    func failed(_ what: String, _ error: any Error) {
        failures.append(
            .init(what: what, error: error as? DatabricksError, message: String(describing: error)))
    }

    /// The failed reads, in the order of their descriptions.
    func failureDetails() -> [IncompleteSnapshotError.Failure] {
        failures.sorted { $0.description < $1.description }
    }

    /// Runs `body`; a failure is recorded against `what` and yields nil.
    func attempt<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async -> T? {
        do {
            return try await body()
        } catch {
            failed(what, error)
            return nil
        }
    }

    /// The answer to a read of one object by name or id.
    enum Lookup: Sendable {
        case found(JSONValue)
        /// 404: a complete answer, the object does not exist.
        case absent
        /// Any other failure, recorded in ``failures``.
        case failed
    }

    /// Runs `body`; 404 is ``Lookup/absent``, any other failure is recorded against `what`.
    func lookup(_ what: String, _ body: @Sendable () async throws -> JSONValue) async -> Lookup {
        do {
            return .found(try await body())
        } catch let error as DatabricksError where error.kind == .notFound {
            return .absent
        } catch {
            failed(what, error)
            return .failed
        }
    }

    func isOwned(_ tags: [String: String]) -> Bool {
        tags[OwnershipMarker.productKey] == product && tags[OwnershipMarker.targetKey] == target
    }

    // swiftlint:disable:next function_body_length
    func read(_ wanted: [LiveStateReader.Wanted], warehouseID: String?) async {
        let byKind = Dictionary(grouping: wanted, by: \.kind)
        let ucKinds: [ResourceKind] = [.catalog, .schema, .table, .volume, .function, .qualityMonitor]
        var catalogs = Set(
            ucKinds.flatMap { byKind[$0] ?? [] }.compactMap { $0.name.split(separator: ".").first.map(String.init) })

        async let otherKinds: Void = readNonUnityCatalog(byKind)

        // Catalogs: one GET per named catalog, so the cost does not grow with the workspace's other catalogs.
        // 404 is a complete answer (absent); any other failure leaves that catalog unknown.
        for item in byKind[.catalog] ?? [] { catalogs.insert(item.name) }
        let (foundCatalogs, absentCatalogs) = await readCatalogs(catalogs)
        let existingCatalogs = Set(foundCatalogs.keys)
        var warehouse = warehouseID
        if warehouse == nil, !existingCatalogs.isEmpty {
            warehouse = await attempt("find a SQL warehouse for tag queries") {
                guard
                    let id = try await self.sharedRead("warehouses", { try await self.client.listWarehouses() })
                        .first?["id"]?.stringValue
                else {
                    throw DatabricksError(
                        kind: .notFound, message: "no SQL warehouse to read tags with", method: "GET",
                        path: "/api/2.0/sql/warehouses")
                }
                return id
            }
        }

        // Per catalog, in parallel: schemas and tags.
        let tagWarehouse = warehouse
        var catalogData: [String: CatalogData] = [:]
        await withTaskGroup(of: (String, CatalogData).self) { group in
            for catalog in existingCatalogs.sorted() {
                group.addTask { (catalog, await self.readCatalog(catalog, warehouse: tagWarehouse)) }
            }
            for await (catalog, data) in group { catalogData[catalog] = data }
        }

        // Catalog resources.
        let wantedCatalogs = byKind[.catalog] ?? []
        var catalogNamesDone: Set<String> = []
        for item in wantedCatalogs {
            catalogNamesDone.insert(item.name)
            if absentCatalogs.contains(item.name) {
                missing(item.key)
                continue
            }
            guard let info = foundCatalogs[item.name] else { continue }
            await emitCatalog(key: item.key, info: info, data: catalogData[item.name], desired: item.desired)
        }
        for catalog in existingCatalogs where !catalogNamesDone.contains(catalog) {
            let tags = catalogData[catalog]?.tags.catalog ?? [:]
            let properties = foundCatalogs[catalog]?["properties"]?.objectValue ?? [:]
            let markedByProperty =
                properties[OwnershipMarker.productKey]?.stringValue == product
                && properties[OwnershipMarker.targetKey]?.stringValue == target
            if isOwned(tags) || markedByProperty {
                await emitCatalog(
                    key: "catalogs.\(catalog)", info: foundCatalogs[catalog]!, data: catalogData[catalog], desired: nil)
            }
        }

        // Schemas, and which schemas to look into for tables, volumes and functions.
        var schemasToScan = unclaimedTableSchemas
        for kind: ResourceKind in [.table, .volume, .function] {
            for item in byKind[kind] ?? [] {
                let parts = item.name.split(separator: ".")
                if parts.count == 3 { schemasToScan.insert("\(parts[0]).\(parts[1])") }
            }
        }
        for (catalog, data) in catalogData {
            for (schema, tags) in data.tags.schema where isOwned(tags) { schemasToScan.insert("\(catalog).\(schema)") }
            // Tag index keys are `schema.name`, relative to the catalog.
            for (table, tags) in data.tags.table where isOwned(tags) {
                schemasToScan.insert("\(catalog)." + table.split(separator: ".").prefix(1).joined())
            }
            for (volume, tags) in data.tags.volume where isOwned(tags) {
                schemasToScan.insert("\(catalog)." + volume.split(separator: ".").prefix(1).joined())
            }
        }
        var schemaDone: Set<String> = []
        for item in byKind[.schema] ?? [] {
            let parts = item.name.split(separator: ".").map(String.init)
            guard parts.count == 2 else {
                failed(
                    "schema \(item.name)",
                    DatabricksError(kind: .invalidParameter, message: "not catalog.schema", method: "-", path: "-"))
                continue
            }
            schemaDone.insert(item.name)
            if absentCatalogs.contains(parts[0]) {
                missing(item.key)
                continue
            }
            guard let data = catalogData[parts[0]], let schemas = data.schemas else { continue }
            guard let info = schemas[parts[1]] else {
                missing(item.key)
                continue
            }
            await emitSchema(key: item.key, catalog: parts[0], info: info, data: data, desired: item.desired)
        }
        for (catalog, data) in catalogData {
            for (schema, tags) in data.tags.schema where isOwned(tags) && !schemaDone.contains("\(catalog).\(schema)") {
                if let info = data.schemas?[schema] {
                    await emitSchema(
                        key: "schemas.\(catalog).\(schema)", catalog: catalog, info: info, data: data, desired: nil)
                }
            }
        }

        // Tables, volumes, functions: list per schema, in parallel.
        let wantsVolumes = Set(
            (byKind[.volume] ?? []).map { $0.name.split(separator: ".").prefix(2).joined(separator: ".") })
        let wantsFunctions = Set(
            (byKind[.function] ?? []).map { $0.name.split(separator: ".").prefix(2).joined(separator: ".") })
        var ownedVolumeSchemas: Set<String> = []
        for (catalog, data) in catalogData {
            for (volume, tags) in data.tags.volume where isOwned(tags) {
                ownedVolumeSchemas.insert("\(catalog)." + volume.split(separator: ".").prefix(1).joined())
            }
        }
        var listings: [String: SchemaListing] = [:]
        await withTaskGroup(of: (String, SchemaListing).self) { group in
            for schema in schemasToScan.sorted() {
                let parts = schema.split(separator: ".").map(String.init)
                guard parts.count == 2 else { continue }
                // A schema known to be absent has no children to list.
                if let schemas = catalogData[parts[0]]?.schemas, schemas[parts[1]] == nil { continue }
                if absentCatalogs.contains(parts[0]) { continue }
                // Capture also looks for volumes and functions built in the product's schemas.
                let scanned = unclaimedTableSchemas.contains(schema)
                let volumes = wantsVolumes.contains(schema) || ownedVolumeSchemas.contains(schema) || scanned
                let functions = wantsFunctions.contains(schema) || scanned
                group.addTask {
                    (
                        schema,
                        await self.listSchema(
                            catalog: parts[0], schema: parts[1], volumes: volumes, functions: functions)
                    )
                }
            }
            for await (schema, listing) in group { listings[schema] = listing }
        }

        await emitTables(
            byKind[.table] ?? [], catalogData: catalogData, absentCatalogs: absentCatalogs,
            listings: listings)
        await emitUnclaimed(
            claimed: [.table, .volume, .function].reduce(into: [:]) { $0[$1] = Set((byKind[$1] ?? []).map(\.name)) },
            catalogData: catalogData, listings: listings)
        await emitVolumes(
            byKind[.volume] ?? [], catalogData: catalogData, absentCatalogs: absentCatalogs,
            listings: listings)
        for item in byKind[.function] ?? [] {
            let parts = item.name.split(separator: ".").map(String.init)
            let schema = parts.prefix(2).joined(separator: ".")
            if parentKnownAbsent(
                parts, catalogData: catalogData, absentCatalogs: absentCatalogs)
            {
                missing(item.key)
                continue
            }
            guard parts.count == 3, let listing = listings[schema], let functions = listing.functions else { continue }
            guard let info = functions[parts[2]] else {
                missing(item.key)
                continue
            }
            found(
                LiveResource(
                    kind: .function, key: item.key, name: item.name,
                    id: info["function_id"]?.stringValue ?? item.name,
                    fields: Canonical.function(info), ownedMarker: item.liveID != nil))
        }
        await readQualityMonitors(byKind[.qualityMonitor] ?? [])
        checkParents(wanted, absentCatalogs: absentCatalogs, catalogData: catalogData)
        await otherKinds
    }

    func parentKnownAbsent(
        _ parts: [String], catalogData: [String: CatalogData], absentCatalogs: Set<String>
    ) -> Bool {
        guard parts.count >= 2 else { return false }
        if absentCatalogs.contains(parts[0]) { return true }
        if let schemas = catalogData[parts[0]]?.schemas, schemas[parts[1]] == nil { return true }
        return false
    }

    /// Each of `names` by `GET catalogs/{name}`, in parallel: the ones found, and the ones that do not exist (404).
    /// A name whose read failed otherwise is in neither, and recorded as a failure.
    func readCatalogs(_ names: Set<String>) async -> (found: [String: JSONValue], absent: Set<String>) {
        await withTaskGroup(of: (String, Lookup).self) { group in
            for name in names {
                group.addTask {
                    (
                        name,
                        await self.lookup("read catalog \(name)") {
                            try await self.sharedRead("catalog \(name)") { try await self.client.getCatalog(name) }
                        }
                    )
                }
            }
            var found: [String: JSONValue] = [:]
            var absent: Set<String> = []
            for await (name, result) in group {
                switch result {
                case .found(let info): found[name] = info
                case .absent: absent.insert(name)
                case .failed: break
                }
            }
            return (found, absent)
        }
    }

    // MARK: Catalog level

    struct CatalogData: Sendable {
        /// Schemas by (lower-case) name; nil when the listing failed.
        var schemas: [String: JSONValue]?
        var tags = TagIndex()
    }

    /// Tags of one catalog, keyed by names relative to the catalog.
    struct TagIndex: Sendable {
        var catalog: [String: String] = [:]
        /// schema → tags
        var schema: [String: [String: String]] = [:]
        /// `schema.table` → tags
        var table: [String: [String: String]] = [:]
        /// `schema.table` → column → tags
        var column: [String: [String: [String: String]]] = [:]
        /// `schema.volume` → tags
        var volume: [String: [String: String]] = [:]
        var complete = true
    }

    func readCatalog(_ catalog: String, warehouse: String?) async -> CatalogData {
        async let schemas = attempt("list schemas of \(catalog)") {
            try await self.sharedRead("schemas of \(catalog)") { try await self.client.listSchemas(catalog: catalog) }
        }
        async let tags = readTags(catalog, warehouse: warehouse)
        var data = CatalogData()
        if let list = await schemas {
            var byName: [String: JSONValue] = [:]
            for info in list { if let name = info["name"]?.stringValue?.lowercased() { byName[name] = info } }
            data.schemas = byName
        }
        data.tags = await tags
        return data
    }

    /// All tags in `catalog` from its `information_schema` tag views: one statement per view, in parallel.
    func readTags(_ catalog: String, warehouse: String?) async -> TagIndex {
        var index = TagIndex()
        guard let warehouse else {
            // Without tags, ownership and drift in tags cannot be judged: the read is incomplete.
            failed(
                "read tags of \(catalog)",
                DatabricksError(
                    kind: .notFound, message: "no SQL warehouse to run tag queries on", method: "GET",
                    path: "/api/2.0/sql/warehouses"))
            index.complete = false
            return index
        }
        let views = ["catalog_tags", "schema_tags", "table_tags", "column_tags", "volume_tags"]
        let results = await withTaskGroup(of: (String, SQLResult?).self) { group in
            for view in views {
                group.addTask {
                    let result = await self.attempt("read \(catalog).information_schema.\(view)") {
                        let statement = "SELECT * FROM \(catalog).information_schema.\(view)"
                        return try await self.sharedRead("\(statement) on \(warehouse)") {
                            try await self.client.executeSQL(statement, warehouseID: warehouse)
                        }
                    }
                    return (view, result)
                }
            }
            var all: [String: SQLResult?] = [:]
            for await (view, result) in group { all[view] = result }
            return all
        }
        for view in views {
            guard let result = results[view] ?? nil else {
                index.complete = false
                continue
            }
            for record in result.records {
                func value(_ column: String) -> String { ((record[column] ?? nil) ?? "").lowercased() }
                guard let key = record["tag_name"] ?? nil else { continue }
                let tagValue = (record["tag_value"] ?? nil) ?? ""
                if let rowCatalog = record["catalog_name"] ?? nil, rowCatalog.lowercased() != catalog { continue }
                switch view {
                case "catalog_tags": index.catalog[key] = tagValue
                case "schema_tags": index.schema[value("schema_name"), default: [:]][key] = tagValue
                case "table_tags":
                    index.table["\(value("schema_name")).\(value("table_name"))", default: [:]][key] = tagValue
                case "column_tags":
                    index.column["\(value("schema_name")).\(value("table_name"))", default: [:]][
                        value("column_name"), default: [:]][key] = tagValue
                default: index.volume["\(value("schema_name")).\(value("volume_name"))", default: [:]][key] = tagValue
                }
            }
        }
        return index
    }

    func grantsIfManaged(_ type: String, _ name: String, desired: Resource?) async -> (JSONValue?, Bool) {
        guard let desired, desired.fields["grants"] != nil else { return (nil, true) }
        guard
            let list = await attempt(
                "read grants on \(type) \(name)",
                {
                    try await self.client.getGrants(securableType: type, fullName: name)
                })
        else { return (nil, false) }
        return (Canonical.grants(list), true)
    }

    func emitCatalog(key: String, info: JSONValue, data: CatalogData?, desired: Resource?) async {
        let name = info["name"]?.stringValue?.lowercased() ?? ""
        let tags = data?.tags.catalog ?? [:]
        let (grants, ok) = await grantsIfManaged("catalog", name, desired: desired)
        guard ok, data?.tags.complete ?? false else { return }
        found(
            LiveResource(
                kind: .catalog, key: key, name: name, id: name,
                fields: Canonical.catalog(info, tags: tags, grants: grants), ownedMarker: isOwned(tags)))
    }

    func emitSchema(key: String, catalog: String, info: JSONValue, data: CatalogData, desired: Resource?) async {
        let schema = info["name"]?.stringValue?.lowercased() ?? ""
        let full = "\(catalog).\(schema)"
        let tags = data.tags.schema[schema] ?? [:]
        let (grants, ok) = await grantsIfManaged("schema", full, desired: desired)
        guard ok, data.tags.complete else { return }
        found(
            LiveResource(
                kind: .schema, key: key, name: full, id: info["schema_id"]?.stringValue ?? full,
                fields: Canonical.schema(info, tags: tags, grants: grants), ownedMarker: isOwned(tags)))
    }

    // MARK: Schema level

    struct SchemaListing: Sendable {
        var tables: [String: JSONValue]?
        var volumes: [String: JSONValue]?
        var functions: [String: JSONValue]?
    }

    func listSchema(catalog: String, schema: String, volumes: Bool, functions: Bool) async -> SchemaListing {
        func index(_ list: [JSONValue]?) -> [String: JSONValue]? {
            list.map { items in
                Dictionary(items.compactMap { item in item["name"]?.stringValue.map { ($0.lowercased(), item) } }) {
                    a, _ in a
                }
            }
        }
        async let tables = attempt("list tables of \(catalog).\(schema)") {
            try await self.sharedRead("tables of \(catalog).\(schema)") {
                try await self.client.listTables(catalog: catalog, schema: schema)
            }
        }
        async let volumeList = listVolumes(catalog: catalog, schema: schema, if: volumes)
        async let functionList = listFunctions(catalog: catalog, schema: schema, if: functions)
        return SchemaListing(
            tables: index(await tables), volumes: index(await volumeList), functions: index(await functionList))
    }

    func listVolumes(catalog: String, schema: String, if wanted: Bool) async -> [JSONValue]? {
        guard wanted else { return nil }
        return await attempt("list volumes of \(catalog).\(schema)") {
            try await self.sharedRead("volumes of \(catalog).\(schema)") {
                try await self.client.listVolumes(catalog: catalog, schema: schema)
            }
        }
    }

    func listFunctions(catalog: String, schema: String, if wanted: Bool) async -> [JSONValue]? {
        guard wanted else { return nil }
        return await attempt("list functions of \(catalog).\(schema)") {
            try await self.sharedRead("functions of \(catalog).\(schema)") {
                try await self.client.listFunctions(catalog: catalog, schema: schema)
            }
        }
    }

    /// A table or volume to emit: a wanted one found in its schema's listing, or an unwanted one that carries this
    /// product's markers (`desired` nil).
    struct Located: Sendable {
        var key: String
        var info: JSONValue
        var data: CatalogData
        var desired: Resource?
    }

    /// The objects of one kind (`objects` of the schema listings, their markers in `tags`) to emit: each wanted one
    /// present in its listing (absent ones are reported missing), then those no key wants that carry this
    /// product's markers, keyed `<keyPrefix>.<catalog>.<schema>.<name>`.
    func locate(
        _ wanted: [LiveStateReader.Wanted], catalogData: [String: CatalogData], absentCatalogs: Set<String>,
        listings: [String: SchemaListing], objects: KeyPath<SchemaListing, [String: JSONValue]?>,
        tags: KeyPath<TagIndex, [String: [String: String]]>, keyPrefix: String
    ) -> [Located] {
        var located: [Located] = []
        var done: Set<String> = []
        for item in wanted {
            let parts = item.name.split(separator: ".").map(String.init)
            done.insert(item.name)
            if parentKnownAbsent(parts, catalogData: catalogData, absentCatalogs: absentCatalogs) {
                missing(item.key)
                continue
            }
            guard parts.count == 3, let listed = listings["\(parts[0]).\(parts[1])"]?[keyPath: objects],
                let data = catalogData[parts[0]]
            else { continue }
            guard let info = listed[parts[2]] else {
                missing(item.key)
                continue
            }
            located.append(Located(key: item.key, info: info, data: data, desired: item.desired))
        }
        for (schema, listing) in listings {
            let catalog = String(schema.split(separator: ".")[0])
            guard let data = catalogData[catalog] else { continue }
            for (name, info) in listing[keyPath: objects] ?? [:] where !done.contains("\(schema).\(name)") {
                let relative = "\(schema.split(separator: ".")[1]).\(name)"
                if isOwned(data.tags[keyPath: tags][relative] ?? [:]) {
                    located.append(Located(key: "\(keyPrefix).\(schema).\(name)", info: info, data: data, desired: nil))
                }
            }
        }
        return located
    }

    func emitTables(
        _ wanted: [LiveStateReader.Wanted], catalogData: [String: CatalogData], absentCatalogs: Set<String>,
        listings: [String: SchemaListing]
    ) async {
        let tables = locate(
            wanted, catalogData: catalogData, absentCatalogs: absentCatalogs, listings: listings, objects: \.tables,
            tags: \.table, keyPrefix: "tables")
        await withTaskGroup(of: Void.self) { group in
            for table in tables {
                group.addTask {
                    await self.emitTable(key: table.key, info: table.info, data: table.data, desired: table.desired)
                }
            }
        }
    }

    /// The tables, volumes and functions of ``unclaimedTableSchemas`` that the files do not name (`claimed`, full
    /// names by kind) and that carry no `lakegate.product` marker (functions carry none): tables and volumes with
    /// their grants, functions as listed.
    func emitUnclaimed(
        claimed: [ResourceKind: Set<String>], catalogData: [String: CatalogData], listings: [String: SchemaListing]
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for schema in unclaimedTableSchemas.sorted() {
                let parts = schema.split(separator: ".").map(String.init)
                guard parts.count == 2, let data = catalogData[parts[0]], data.tags.complete,
                    let listing = listings[schema]
                else { continue }
                func unclaimed(_ kind: ResourceKind, _ objects: [String: JSONValue]?) -> [(String, JSONValue)] {
                    (objects ?? [:]).filter { !(claimed[kind] ?? []).contains("\(schema).\($0.key)") }
                        .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                }
                for (function, info) in unclaimed(.function, listing.functions) {
                    let full = "\(schema).\(function)"
                    foundUnclaimed(
                        LiveResource(
                            kind: .function, key: "functions.\(function)", name: full,
                            id: info["function_id"]?.stringValue ?? full, fields: Canonical.function(info),
                            ownedMarker: false))
                }
                let withGrants =
                    unclaimed(.table, listing.tables).map { ($0, $1, ResourceKind.table) }
                    + unclaimed(.volume, listing.volumes).map { ($0, $1, ResourceKind.volume) }
                for (name, info, kind) in withGrants {
                    let tags = (kind == .table ? data.tags.table : data.tags.volume)["\(parts[1]).\(name)"] ?? [:]
                    guard tags[OwnershipMarker.productKey] == nil else { continue }
                    group.addTask {
                        let full = "\(schema).\(name)"
                        let securable = kind == .table ? "table" : "volume"
                        guard
                            let grants = await self.attempt(
                                "read grants on \(securable) \(full)",
                                { try await self.client.getGrants(securableType: securable, fullName: full) })
                        else { return }
                        let fields =
                            kind == .table
                            ? Canonical.table(
                                info, tags: tags, columnTags: data.tags.column["\(parts[1]).\(name)"] ?? [:],
                                grants: Canonical.grants(grants), desiredProperties: nil)
                            : Canonical.volume(info, tags: tags, grants: Canonical.grants(grants))
                        await self.foundUnclaimed(
                            LiveResource(
                                kind: kind, key: "\(kind.rawValue).\(name)", name: full,
                                id: info["\(securable)_id"]?.stringValue ?? full, fields: fields, ownedMarker: false))
                    }
                }
            }
        }
    }

    func emitTable(key: String, info: JSONValue, data: CatalogData, desired: Resource?) async {
        let catalog = info["catalog_name"]?.stringValue?.lowercased() ?? ""
        let schema = info["schema_name"]?.stringValue?.lowercased() ?? ""
        let table = info["name"]?.stringValue?.lowercased() ?? ""
        let full = "\(catalog).\(schema).\(table)"
        let tags = data.tags.table["\(schema).\(table)"] ?? [:]
        let (grants, ok) = await grantsIfManaged("table", full, desired: desired)
        guard ok, data.tags.complete else { return }
        let fields = Canonical.table(
            info, tags: tags, columnTags: data.tags.column["\(schema).\(table)"] ?? [:], grants: grants,
            desiredProperties: desired?.fields["properties"])
        found(
            LiveResource(
                kind: .table, key: key, name: full, id: info["table_id"]?.stringValue ?? full,
                fields: fields, ownedMarker: isOwned(tags)))
    }

    func emitVolumes(
        _ wanted: [LiveStateReader.Wanted], catalogData: [String: CatalogData], absentCatalogs: Set<String>,
        listings: [String: SchemaListing]
    ) async {
        let volumes = locate(
            wanted, catalogData: catalogData, absentCatalogs: absentCatalogs, listings: listings, objects: \.volumes,
            tags: \.volume, keyPrefix: "volumes")
        for volume in volumes {
            await emitVolume(key: volume.key, info: volume.info, data: volume.data, desired: volume.desired)
        }
    }

    func emitVolume(key: String, info: JSONValue, data: CatalogData, desired: Resource?) async {
        let schema = info["schema_name"]?.stringValue?.lowercased() ?? ""
        let volume = info["name"]?.stringValue?.lowercased() ?? ""
        let full = "\(info["catalog_name"]?.stringValue?.lowercased() ?? "").\(schema).\(volume)"
        let tags = data.tags.volume["\(schema).\(volume)"] ?? [:]
        let (grants, ok) = await grantsIfManaged("volume", full, desired: desired)
        guard ok, data.tags.complete else { return }
        found(
            LiveResource(
                kind: .volume, key: key, name: full, id: info["volume_id"]?.stringValue ?? full,
                fields: Canonical.volume(info, tags: tags, grants: grants), ownedMarker: isOwned(tags)))
    }

    func readQualityMonitors(_ wanted: [LiveStateReader.Wanted]) async {
        await withTaskGroup(of: Void.self) { group in
            for item in wanted {
                group.addTask {
                    do {
                        let info = try await self.client.getQualityMonitor(table: item.name)
                        await self.found(
                            LiveResource(
                                kind: .qualityMonitor, key: item.key, name: item.name, id: item.name,
                                fields: Canonical.qualityMonitor(info), ownedMarker: item.liveID != nil))
                    } catch let error as DatabricksError where error.kind == .notFound {
                        await self.missing(item.key)
                    } catch {
                        await self.failed("read quality monitor \(item.name)", error)
                    }
                }
            }
        }
    }
}
