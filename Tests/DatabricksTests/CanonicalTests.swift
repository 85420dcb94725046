import Databricks
import LakegateCore
import Testing

@Suite struct CanonicalTests {
    @Test func grantsAreSortedAndEmptyPrincipalsDropped() {
        let live: [JSONValue] = [
            ["principal": "z", "privileges": ["SELECT"]], ["principal": "a", "privileges": ["USE_SCHEMA", "SELECT"]],
            ["principal": "empty", "privileges": []],
        ]
        #expect(
            Canonical.grants(live) == [
                ["principal": "a", "privileges": ["SELECT", "USE_SCHEMA"]],
                ["principal": "z", "privileges": ["SELECT"]],
            ])
        #expect(Canonical.grants([]) == nil)
    }

    @Test func serverPropertiesDroppedUnlessDesired() {
        let live: JSONValue = ["delta.minReaderVersion": "1", "delta.enableChangeDataFeed": "true", "team": "a"]
        #expect(Canonical.properties(live, desired: nil) == ["team": "a"])
        #expect(
            Canonical.properties(live, desired: ["delta.enableChangeDataFeed": "true"])
                == ["team": "a", "delta.enableChangeDataFeed": "true"])
    }

    @Test func tableColumnsMasksPartitionsAndRowFilter() {
        let info: JSONValue = [
            "name": "T", "catalog_name": "C", "schema_name": "S", "table_type": "MANAGED", "table_id": "x",
            "owner": "me", "comment": "",
            "columns": [
                [
                    "name": "b", "type_text": "STRING", "nullable": true, "position": 1,
                    "mask": ["function_name": "C.S.M", "using_column_names": []],
                ],
                ["name": "a", "type_text": "decimal(10,2)", "nullable": false, "position": 0, "partition_index": 0],
            ],
            "row_filter": ["function_name": "c.s.f", "input_column_names": ["A"]],
        ]
        let fields = Canonical.table(
            info, tags: [:], columnTags: ["b": ["pii": ""]], grants: nil, desiredProperties: nil)
        #expect(
            fields == [
                "name": "t", "catalog_name": "c", "schema_name": "s", "table_type": "MANAGED",
                "columns": [
                    ["name": "a", "type_text": "decimal(10,2)", "nullable": false],
                    [
                        "name": "b", "type_text": "string", "nullable": true, "tags": ["pii": ""],
                        "mask": ["function_name": "c.s.m", "using_column_names": []],
                    ],
                ],
                "row_filter": ["function_name": "c.s.f", "input_column_names": ["a"]],
                "partition_columns": ["a"],
            ])
    }

    @Test func jobSettingsDropServerDefaultsAndSortTasks() {
        let settings: JSONValue = [
            "name": "j", "format": "MULTI_TASK", "timeout_seconds": 0, "email_notifications": [:],
            "tasks": [["task_key": "z", "depends_on": []], ["task_key": "a"]],
        ]
        #expect(Canonical.jobSettings(settings) == ["name": "j", "tasks": [["task_key": "a"], ["task_key": "z"]]])
    }

    @Test func functionParametersAsSQL() {
        let info: JSONValue = [
            "name": "mask_email", "catalog_name": "c", "schema_name": "s", "data_type": "STRING",
            "input_params": ["parameters": [["name": "email", "type_text": "string"]]],
            "routine_definition": "'x'",
        ]
        #expect(Canonical.function(info)["input_params"] == "email STRING")
        #expect(Canonical.function(info)["data_type"] == "STRING")
    }
}
