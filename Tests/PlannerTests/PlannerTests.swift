import LakegateCore
import Planner
import Testing

@Suite("Planner")
struct PlannerTests {
    let planner = Planner()

    func plan(
        _ desired: [Resource], live: [LiveResource], inventory: [InventoryEntry], rules: PlanRules = PlanRules(),
        complete: Bool = true, absent: Set<String> = []
    ) throws -> Plan {
        let snapshot = LiveSnapshot(
            resources: Dictionary(uniqueKeysWithValues: live.map { ($0.key, $0) }), absent: absent,
            complete: complete)
        return try Planner(rules: rules).plan(desired: Fixtures.desired(desired), live: snapshot, inventory: inventory)
    }

    @Test("an object in sync gives no action, whatever the server adds", arguments: Fixtures.all)
    func inSync(resource: Resource) throws {
        let result = try plan([resource], live: [Fixtures.live(resource)], inventory: [Fixtures.inventory(resource)])
        #expect(result.actions.isEmpty, "\(result.actions.map(\.changes))")
        #expect(!result.hasChanges)
    }

    struct CreateCase: Sendable, CustomTestStringConvertible {
        var resource: Resource
        var operations: [String]
        var testDescription: String { resource.kind.rawValue }
    }

    static let createCases: [CreateCase] = [
        .init(resource: Fixtures.catalog, operations: ["create", "set_tag", "set_tag", "grants"]),
        .init(resource: Fixtures.schema, operations: ["create", "set_tag", "set_tag", "grants"]),
        .init(resource: Fixtures.function, operations: ["sql"]),
        .init(resource: Fixtures.table, operations: ["sql", "sql", "sql", "sql", "grants"]),
        .init(resource: Fixtures.volume, operations: ["create", "set_tag", "set_tag", "grants"]),
        .init(resource: Fixtures.recipient, operations: ["create"]),
        .init(resource: Fixtures.share, operations: ["create", "update_share_objects", "grants"]),
        .init(resource: Fixtures.notebook, operations: ["import_notebook"]),
        .init(resource: Fixtures.genie, operations: ["create"]),
        .init(resource: Fixtures.job, operations: ["create", "set_job_permissions"]),
        .init(resource: Fixtures.monitor, operations: ["create"]),
    ]

    @Test("a missing object is created with everything it carries", arguments: createCases)
    func create(testCase: CreateCase) throws {
        let result = try plan([testCase.resource], live: [], inventory: [])
        #expect(result.actions.count == 1)
        let action = try #require(result.actions.first)
        #expect(action.type == .create)
        #expect(action.operations.map { $0.jsonValue["op"]?.stringValue ?? "" } == testCase.operations)
        #expect(action.changes.allSatisfy { $0.before == nil })
    }

    @Test func tableCreateStatements() throws {
        let result = try plan([Fixtures.table], live: [], inventory: [])
        let statements = result.actions[0].operations.compactMap { op -> String? in
            if case .sql(let s) = op { return s }
            return nil
        }
        #expect(
            statements[0]
                == "CREATE TABLE `c360_dev`.`crm`.`customers` (`customer_id` bigint NOT NULL COMMENT 'Surrogate key', "
                + "`email` string COMMENT 'Primary e-mail', `lifetime_value` decimal(10,2)) "
                + "COMMENT 'One row per customer' TBLPROPERTIES ('quality' = 'gold')")
        #expect(
            statements[1]
                == "ALTER TABLE `c360_dev`.`crm`.`customers` SET TAGS ('domain' = 'crm', 'lakegate.product' = 'c360', "
                + "'lakegate.target' = 'dev')")
        #expect(
            statements[2] == "ALTER TABLE `c360_dev`.`crm`.`customers` ALTER COLUMN `email` SET TAGS ('pii' = 'email')")
        #expect(
            statements[3]
                == "ALTER TABLE `c360_dev`.`crm`.`customers` ALTER COLUMN `email` SET MASK `c360_dev`.`crm`.`mask_email`"
        )
    }

    struct UpdateCase: Sendable, CustomTestStringConvertible {
        var name: String
        var resource: Resource
        var change: @Sendable (inout [String: JSONValue]) -> Void
        var fields: [String]
        var operations: [JSONValue]
        var testDescription: String { name }
    }

    static let updateCases: [UpdateCase] = [
        .init(
            name: "catalog comment", resource: Fixtures.catalog, change: { $0["comment"] = "Old" },
            fields: ["comment"], operations: [["op": "patch", "fields": ["comment": "Customer 360"]]]),
        .init(
            name: "schema grants add and remove per principal", resource: Fixtures.schema,
            change: { $0["grants"] = [["principal": "analysts", "privileges": ["MODIFY", "SELECT"]]] },
            fields: ["grants.analysts"],
            operations: [
                [
                    "op": "grants", "securable": "schema",
                    "changes": [["principal": "analysts", "add": ["USE_SCHEMA"], "remove": ["MODIFY"]]],
                ]
            ]),
        .init(
            name: "volume tags one by one", resource: Fixtures.volume,
            change: { $0["tags"] = ["lakegate.product": "c360", "stale": "x"] },
            fields: ["tags.lakegate.target", "tags.stale"],
            operations: [
                [
                    "op": "set_tag", "entity_type": "volumes", "entity_name": "c360_dev.crm.landing",
                    "key": "lakegate.target", "value": "dev",
                ],
                ["op": "unset_tag", "entity_type": "volumes", "entity_name": "c360_dev.crm.landing", "key": "stale"],
            ]),
        .init(
            name: "function body", resource: Fixtures.function, change: { $0["routine_definition"] = "email" },
            fields: ["routine_definition"],
            operations: [
                [
                    "op": "sql",
                    "statement": .string(
                        "CREATE OR REPLACE FUNCTION `c360_dev`.`crm`.`mask_email`(email STRING) RETURNS STRING "
                            + "COMMENT 'Masks e-mail addresses' RETURN CASE WHEN is_member('pii') THEN email ELSE '***' END"
                    ),
                ]
            ]),
        .init(
            name: "table column comment is one statement", resource: Fixtures.table,
            change: { fields in
                var columns = fields["columns"]!.arrayValue!
                var email = columns[1].objectValue!
                email["comment"] = "Old comment"
                columns[1] = .object(email)
                fields["columns"] = .array(columns)
            },
            fields: ["columns.email.comment"],
            operations: [
                [
                    "op": "sql",
                    "statement":
                        "ALTER TABLE `c360_dev`.`crm`.`customers` ALTER COLUMN `email` COMMENT 'Primary e-mail'",
                ]
            ]),
        .init(
            name: "table new columns in one ADD COLUMNS", resource: Fixtures.table,
            change: { fields in
                fields["columns"] = .array(Array(fields["columns"]!.arrayValue!.prefix(1)))
            },
            fields: ["columns.email", "columns.lifetime_value"],
            operations: [
                [
                    "op": "sql",
                    "statement":
                        "ALTER TABLE `c360_dev`.`crm`.`customers` ADD COLUMNS (`email` string COMMENT 'Primary e-mail', `lifetime_value` decimal(10,2))",
                ],
                [
                    "op": "sql",
                    "statement":
                        "ALTER TABLE `c360_dev`.`crm`.`customers` ALTER COLUMN `email` SET TAGS ('pii' = 'email')",
                ],
                [
                    "op": "sql",
                    "statement":
                        "ALTER TABLE `c360_dev`.`crm`.`customers` ALTER COLUMN `email` SET MASK `c360_dev`.`crm`.`mask_email`",
                ],
            ]),
        .init(
            name: "table comment, properties and tags", resource: Fixtures.table,
            change: { fields in
                fields["comment"] = nil
                fields["properties"] = ["quality": "silver", "old": "1"]
                fields["tags"] = ["lakegate.product": "c360", "lakegate.target": "dev", "domain": "sales"]
            },
            fields: ["comment", "properties.old", "properties.quality", "tags.domain"],
            operations: [
                ["op": "sql", "statement": "COMMENT ON TABLE `c360_dev`.`crm`.`customers` IS 'One row per customer'"],
                [
                    "op": "sql",
                    "statement": "ALTER TABLE `c360_dev`.`crm`.`customers` SET TBLPROPERTIES ('quality' = 'gold')",
                ],
                [
                    "op": "sql",
                    "statement": "ALTER TABLE `c360_dev`.`crm`.`customers` UNSET TBLPROPERTIES IF EXISTS ('old')",
                ],
                ["op": "sql", "statement": "ALTER TABLE `c360_dev`.`crm`.`customers` SET TAGS ('domain' = 'crm')"],
            ]),
        .init(
            name: "table mask removed", resource: Fixtures.table,
            change: { fields in
                var columns = fields["columns"]!.arrayValue!
                var id = columns[0].objectValue!
                id["mask"] = ["function_name": "c360_dev.crm.mask_email"]
                columns[0] = .object(id)
                fields["columns"] = .array(columns)
            },
            fields: ["columns.customer_id.mask"],
            operations: [
                [
                    "op": "sql",
                    "statement": "ALTER TABLE `c360_dev`.`crm`.`customers` ALTER COLUMN `customer_id` DROP MASK",
                ]
            ]),
        .init(
            name: "recipient comment", resource: Fixtures.recipient, change: { $0["comment"] = nil },
            fields: ["comment"], operations: [["op": "patch", "fields": ["comment": "Partner org"]]]),
        .init(
            name: "share objects", resource: Fixtures.share, change: { $0["objects"] = nil },
            fields: ["objects.c360_dev.crm.customers"],
            operations: [
                [
                    "op": "update_share_objects",
                    "add": [["name": "c360_dev.crm.customers", "data_object_type": "TABLE"]], "remove": [],
                ]
            ]),
        .init(
            name: "notebook content", resource: Fixtures.notebook, change: { $0["sha256"] = "aaaa" },
            fields: ["sha256"],
            operations: [
                [
                    "op": "import_notebook", "path": "/Workspace/c360/dev/ingest", "language": "PYTHON",
                    "source": "src/ingest.py",
                ]
            ]),
        .init(
            name: "genie title", resource: Fixtures.genie, change: { $0["title"] = "Old" },
            fields: ["title"], operations: [["op": "patch", "fields": ["title": "Customers (dev)"]]]),
        .init(
            name: "job settings reset only when they differ", resource: Fixtures.job,
            change: { fields in
                var settings = fields["settings"]!.objectValue!
                settings["max_concurrent_runs"] = 1
                fields["settings"] = .object(settings)
            },
            fields: ["settings.max_concurrent_runs"],
            operations: [["op": "reset_job", "settings": Fixtures.job.fields["settings"]!]]),
        .init(
            name: "quality monitor", resource: Fixtures.monitor,
            change: { $0["output_schema_name"] = "c360_dev.other" }, fields: ["output_schema_name"],
            operations: [
                [
                    "op": "patch",
                    "fields": [
                        "table_name": "c360_dev.crm.customers", "output_schema_name": "c360_dev.crm",
                        "assets_dir": "/Workspace/c360/dev/monitors", "snapshot": [:], "warehouse_id": "wh1",
                    ],
                ]
            ]),
    ]

    @Test("a drifted object gets only the fields that differ, with the narrowest calls", arguments: updateCases)
    func update(testCase: UpdateCase) throws {
        var liveFields = testCase.resource.fields
        testCase.change(&liveFields)
        let live = Fixtures.live(testCase.resource, fields: liveFields)
        let result = try plan([testCase.resource], live: [live], inventory: [Fixtures.inventory(testCase.resource)])
        #expect(result.actions.count == 1)
        let action = try #require(result.actions.first)
        #expect(action.type == .update)
        #expect(action.changes.map(\.field).sorted() == testCase.fields)
        #expect(action.operations.map(\.jsonValue) == testCase.operations)
        #expect(action.liveID == "id-\(testCase.resource.key)")
    }

    @Test func jobsAreCreatedAsWrittenNotAsCompared() throws {
        let result = try plan([Fixtures.job], live: [], inventory: [])
        #expect(result.actions.first?.operations.first == .create(Fixtures.job))
    }

    @Test func jobWithoutPermissionsIsInSyncWithALiveJobThatHasOnlyItsOwner() throws {
        // The renderer writes `permissions: []`; the reader leaves the field out when only the owner is listed.
        let job = Fixtures.with(Fixtures.job) { $0["permissions"] = [] }
        let live = Fixtures.live(job, fields: Fixtures.with(job) { $0["permissions"] = nil }.fields)
        let result = try plan([job], live: [live], inventory: [Fixtures.inventory(job)])
        #expect(result.actions.isEmpty, "\(result.actions.map(\.changes))")
    }

    @Test("empty values are left out, not kept as null", arguments: ["", [], [:]] as [JSONValue])
    func emptyValuesAreLeftOut(empty: JSONValue) {
        let fields = Normalizer.normalize(["comment": empty, "properties": ["a": empty]], kind: .schema)
        #expect(fields.isEmpty, "\(fields)")
    }

    @Test func genieUpdateCarriesTheEtag() throws {
        let live = Fixtures.live(
            Fixtures.genie, fields: Fixtures.with(Fixtures.genie) { $0["description"] = "x" }.fields)
        let result = try plan([Fixtures.genie], live: [live], inventory: [Fixtures.inventory(Fixtures.genie)])
        #expect(result.actions.first?.etag == "etag-1")
    }

    @Test("the immutable fields of each kind", arguments: ResourceKind.allCases)
    func immutableFieldsAreListed(kind: ResourceKind) {
        let fields = ImmutableFields.of(kind)
        switch kind {
        case .genieSpace, .job: #expect(fields.isEmpty)
        case .notebook: #expect(fields == ["path"])
        case .qualityMonitor: #expect(fields == ["table_name", "assets_dir"])
        default: #expect(fields.first == "name")
        }
    }

    @Test func immutableChangeOnStatelessKindReplaces() throws {
        let live = Fixtures.live(
            Fixtures.recipient,
            fields: Fixtures.with(Fixtures.recipient) {
                $0["authentication_type"] = "DATABRICKS"
            }.fields)
        let result = try plan([Fixtures.recipient], live: [live], inventory: [Fixtures.inventory(Fixtures.recipient)])
        let action = try #require(result.actions.first)
        #expect(action.type == .replace)
        #expect(action.changes.first?.field == "authentication_type")
        #expect(action.operations.first == .delete)
        #expect(action.operations.dropFirst().first?.jsonValue["op"] == "create")
    }

    @Test func immutableChangeOnStatefulKindIsRetainedUnlessAllowed() throws {
        let changed = Fixtures.with(Fixtures.volume) {
            $0["volume_type"] = "EXTERNAL"; $0["storage_location"] = "s3://x"
        }
        let live = Fixtures.live(Fixtures.volume)
        let retained = try plan([changed], live: [live], inventory: [Fixtures.inventory(Fixtures.volume)])
        #expect(retained.actions.map(\.type) == [.retain])
        #expect(retained.actions[0].reason?.contains("--allow-destroy volumes.landing") == true)
        let replaced = try plan(
            [changed], live: [live], inventory: [Fixtures.inventory(Fixtures.volume)],
            rules: PlanRules(allowDestroy: ["volumes.landing"]))
        #expect(replaced.actions.map(\.type) == [.replace])
    }

    @Test func columnTypeChangeIsAnErrorThatExplainsAMigration() throws {
        var liveFields = Fixtures.table.fields
        var columns = liveFields["columns"]!.arrayValue!
        var id = columns[0].objectValue!
        id["type_text"] = "int"
        columns[0] = .object(id)
        liveFields["columns"] = .array(columns)
        let error = #expect(throws: PlanError.self) {
            try plan(
                [Fixtures.table], live: [Fixtures.live(Fixtures.table, fields: liveFields)],
                inventory: [Fixtures.inventory(Fixtures.table)])
        }
        #expect(error?.problems.first?.key == "tables.customers")
        #expect(error?.description.contains("changes type from int to bigint") == true)
        #expect(error?.description.contains("migration") == true)
    }

    @Test func droppedColumnIsRetainedUnlessAllowed() throws {
        var liveFields = Fixtures.table.fields
        liveFields["columns"] = .array(
            liveFields["columns"]!.arrayValue! + [["name": "legacy", "type_text": "string", "nullable": true]])
        let live = Fixtures.live(Fixtures.table, fields: liveFields)
        let retained = try plan([Fixtures.table], live: [live], inventory: [Fixtures.inventory(Fixtures.table)])
        #expect(retained.actions.map(\.type) == [.retain])
        #expect(retained.actions[0].key == "tables.customers.columns.legacy")
        #expect(!retained.hasChanges)
        let dropped = try plan(
            [Fixtures.table], live: [live], inventory: [Fixtures.inventory(Fixtures.table)],
            rules: PlanRules(allowDestroy: ["tables.customers.columns.legacy"]))
        #expect(dropped.actions.map(\.type) == [.update])
        #expect(
            dropped.actions[0].operations == [.sql("ALTER TABLE `c360_dev`.`crm`.`customers` DROP COLUMN `legacy`")])
    }

    @Test func deletesOnlyOwnedAndMarkedAndRetainsStateful() throws {
        let everything = Fixtures.all
        let (snapshot, inventory) = Fixtures.synced(everything)
        let remaining = everything.filter { ![.function, .table].contains($0.kind) }
        let result = try Planner(rules: PlanRules(maxDeleteShare: 1)).plan(
            desired: Fixtures.desired(remaining), live: snapshot, inventory: inventory)
        #expect(result.actions.map(\.type) == [.delete, .retain])
        #expect(result.actions.map(\.key) == ["functions.mask_email", "tables.customers"])
        #expect(result.actions[1].reason?.contains("--allow-destroy tables.customers") == true)

        let allowed = try Planner(rules: PlanRules(allowDestroy: ["tables.customers"], maxDeleteShare: 1)).plan(
            desired: Fixtures.desired(remaining), live: snapshot, inventory: inventory)
        #expect(allowed.actions.map(\.type) == [.delete, .delete])
        // Children before parents: the table goes before the function it uses, in a later-or-equal wave order.
        #expect(allowed.actions.map(\.key) == ["tables.customers", "functions.mask_email"])
        #expect(allowed.actions[0].wave < allowed.actions[1].wave)
    }

    @Test func noDeleteWithoutTheMarkerOrOutsideTheInventory() throws {
        var unmarked = Fixtures.live(Fixtures.function)
        unmarked.ownedMarker = false
        let notInInventory = Fixtures.live(Fixtures.job)
        let result = try plan(
            [], live: [unmarked, notInInventory], inventory: [Fixtures.inventory(Fixtures.function)],
            rules: PlanRules(maxDeleteShare: 1))
        #expect(result.actions.map(\.type) == [.retain])
        #expect(result.actions[0].reason?.contains("ownership markers") == true)
    }

    @Test func incompleteSnapshotNeverDeletes() throws {
        let snapshot = LiveSnapshot(
            resources: [Fixtures.function.key: Fixtures.live(Fixtures.function)], complete: false,
            failures: ["GET functions: 503"])
        let result = try Planner(rules: PlanRules(maxDeleteShare: 1)).plan(
            desired: Fixtures.desired([]), live: snapshot, inventory: [Fixtures.inventory(Fixtures.function)])
        #expect(result.actions.isEmpty)
        #expect(result.warnings.first?.contains("incomplete") == true)
    }

    @Test func goneObjectsAreForgotten() throws {
        let result = try plan([], live: [], inventory: [Fixtures.inventory(Fixtures.job)], absent: ["jobs.nightly"])
        #expect(result.actions.isEmpty)
        #expect(result.forget == ["jobs.nightly"])
    }

    @Test func deletingMoreThanTheShareIsRefused() throws {
        let (snapshot, inventory) = Fixtures.synced(Fixtures.all)
        let error = #expect(throws: PlanError.self) {
            try Planner().plan(desired: Fixtures.desired([Fixtures.catalog]), live: snapshot, inventory: inventory)
        }
        #expect(error?.description.contains("more than the allowed 25%") == true)
    }

    @Test func pruneOffRetainsWhatLeftTheDesiredStateBeforeTheDeleteShareCheck() throws {
        let (snapshot, inventory) = Fixtures.synced(Fixtures.all)
        let desired = Fixtures.desired([Fixtures.catalog])
        let result = try Planner(rules: PlanRules(prune: false)).plan(
            desired: desired, live: snapshot, inventory: inventory)
        #expect(!result.actions.contains { $0.type == .delete })
        #expect(!result.hasChanges)
        let pruned = result.actions.filter { $0.reason?.contains("prune is off for dev") == true }
        #expect(!pruned.isEmpty)
        // The same desired state with prune on is refused by the delete share: the rule runs first.
        #expect(throws: PlanError.self) { try Planner().plan(desired: desired, live: snapshot, inventory: inventory) }
    }

    @Test func adoptionOfAMatchingObject() throws {
        let unowned = Fixtures.live(Fixtures.function, owned: false)
        let adopted = try plan([Fixtures.function], live: [unowned], inventory: [])
        #expect(adopted.actions.map(\.type) == [.adopt])
        #expect(adopted.actions[0].operations.isEmpty)
        #expect(adopted.hasChanges)

        let error = #expect(throws: PlanError.self) {
            try plan([Fixtures.function], live: [unowned], inventory: [], rules: PlanRules(allowAdoption: false))
        }
        #expect(error?.description.contains("adoption is disabled") == true)

        // Ours (markers present, e.g. created just before a crash) is adopted even when adoption is off.
        let marked = Fixtures.live(Fixtures.function, owned: true)
        let resumed = try plan(
            [Fixtures.function], live: [marked], inventory: [], rules: PlanRules(allowAdoption: false))
        #expect(resumed.actions.map(\.type) == [.adopt])
    }

    @Test func adoptionFixesMutableDifferencesButNotImmutableOnes() throws {
        let bare = Fixtures.live(Fixtures.catalog, owned: false, fields: ["name": "c360_dev"])
        let adopted = try plan([Fixtures.catalog], live: [bare], inventory: [])
        #expect(adopted.actions.map(\.type) == [.adopt])
        #expect(adopted.actions[0].operations.count == 4)  // patch comment+properties, two marker tags, grants

        let other = LiveResource(
            kind: .volume, key: "volumes.landing", name: "c360_dev.crm.landing", id: "v",
            fields: Fixtures.with(Fixtures.volume) {
                $0["volume_type"] = "EXTERNAL"; $0["storage_location"] = "s3://x"
            }
            .fields, ownedMarker: false)
        let error = #expect(throws: PlanError.self) { try plan([Fixtures.volume], live: [other], inventory: []) }
        #expect(error?.description.contains("cannot change") == true)
    }

    @Test func ordersByDependenciesInWaves() throws {
        let result = try plan(Fixtures.all, live: [], inventory: [])
        let keys = result.actions.map(\.key)
        for resource in Fixtures.all {
            for dependency in resource.dependsOn {
                let before = try #require(keys.firstIndex(of: dependency))
                let after = try #require(keys.firstIndex(of: resource.key))
                #expect(before < after, "\(dependency) before \(resource.key)")
                #expect(result.actions[before].wave < result.actions[after].wave)
            }
        }
        let wave0 = Set(result.waves[0].map(\.key))
        #expect(wave0 == ["catalogs.main", "recipients.partner", "notebooks.src/ingest.py"])
        #expect(result.waves.count == 5)  // catalog; schema, job; function, volume; table; share, genie, monitor
    }

    @Test func digestIsStableAndChangesWithThePlan() throws {
        let a = try plan(Fixtures.all, live: [], inventory: [])
        let b = try plan(Fixtures.all.reversed(), live: [], inventory: [])
        #expect(a.digest == b.digest)
        #expect(a.digest.hasPrefix("sha256:"))
        let c = try plan([Fixtures.with(Fixtures.catalog) { $0["comment"] = "other" }], live: [], inventory: [])
        #expect(c.digest != a.digest)
    }
}
