import Descriptors
import Foundation
import LakegateCore
import TestSupport
import Testing

@Suite("Validation errors")
struct ValidationTests {
    /// Each `Examples/invalid/<case>` with every diagnostic it must produce, exactly.
    static let invalidCases: [(String, [String])] = [
        ("binary-file", ["contracts/orders.odcs.yaml:3:1: binary file (a NUL byte): expected YAML text"]),
        (
            "dependency-cycle",
            ["databricks.yml:31:16: dependency cycle: schemas.orders → schemas.archive → schemas.orders"]
        ),
        ("duplicate-key", ["databricks.yml:26:7: duplicate key 'comment' (first defined at line 24)"]),
        ("empty-file", ["dataproduct.yaml:0:0: file is empty"]),
        (
            "invalid-uc-name",
            [
                "databricks.yml:23:13: invalid Unity Catalog schema name 'order-data': use letters, digits and '_' (at most 255 characters)"
            ]
        ),
        (
            "missing-notebook",
            ["databricks.yml:37:28: notebook './src/settle.py' not found: no file src/settle.py in the product"]
        ),
        ("missing-required", ["contracts/orders.odcs.yaml:1:1: contract is missing required key 'status'"]),
        (
            "unknown-contract",
            [
                "contracts/orders.odcs.yaml:3:5: contract 'urn:lakegate:finance:orders:orders' is not published by any output port in dataproduct.yaml",
                "dataproduct.yaml:10:15: unknown contract 'urn:lakegate:finance:orders:order' in output port 'orders'; did you mean 'urn:lakegate:finance:orders:orders'?",
            ]
        ),
        (
            "unknown-key",
            [
                "dataproduct.yaml:1:1: dataproduct is missing required key 'owner'",
                "dataproduct.yaml:4:1: unknown key 'ownr' in dataproduct; did you mean 'owner'?",
            ]
        ),
        (
            "unknown-resource",
            [
                "databricks.yml:46:27: unknown resource 'schemas.order' in '${resources.schemas.order.catalog_name}'; did you mean 'orders'?"
            ]
        ),
        (
            "unknown-target-variable",
            ["databricks.yml:17:7: target 'prod' sets undeclared variable 'catalogue'; did you mean 'catalog'?"]
        ),
        (
            "unknown-variable",
            ["databricks.yml:41:21: unknown variable 'warehouse' in '${var.warehouse}'; did you mean 'warehouse_id'?"]
        ),
        (
            "unmappable-type",
            ["contracts/orders.odcs.yaml:37:23: physicalType 'NUMBER(18,2)' does not map to a Databricks type"]
        ),
        (
            "unsupported-kind",
            [
                "databricks.yml:28:3: unsupported resource kind 'pipelines': Lakegate manages catalogs, schemas, volumes, jobs, genie_spaces, quality_monitors"
            ]
        ),
        (
            "wrong-type",
            ["dataproduct.yaml:32:17: 'rtoMinutes' in 'regulatory.dora' must be an integer, found a string"]
        ),
        (
            "yaml-syntax",
            [
                "dataproduct.yaml:21:5: YAML syntax error: did not find expected node content (while parsing a flow node at line 21)"
            ]
        ),
    ]

    @Test(arguments: invalidCases)
    func invalidExample(name: String, expected: [String]) {
        #expect(ProductFixture.diagnostics(Paths.example("invalid/\(name)")) == expected)
    }

    /// Edits of `Examples/orders` and the exact diagnostics they give.
    static let edits: [(String, String, String, String, [String])] = [
        (
            "variable without a value", "databricks.yml", "  catalog:\n    default: finance_dev\n",
            "  catalog:\n    description: none\n",
            [
                "databricks.yml:5:3: variable 'catalog' has no value for target 'dev': give it a default or set targets.dev.variables.catalog"
            ]
        ),
        (
            "unknown key in a contract property", "contracts/orders.odcs.yaml", "        businessName: Order date\n",
            "        busnessName: Order date\n",
            [
                "contracts/orders.odcs.yaml:44:9: unknown key 'busnessName' in property of 'orders'; did you mean 'businessName'?"
            ]
        ),
        (
            "include that matches nothing", "databricks.yml", "variables:", "include: [resources/*.yml]\nvariables:",
            ["databricks.yml:4:11: include pattern 'resources/*.yml' matches no file"]
        ),
        (
            "unknown privilege", "dataproduct.yaml", "privileges: [SELECT]", "privileges: [SELCT]",
            ["dataproduct.yaml:22:20: unknown privilege 'SELCT' for 'finance_analysts'; did you mean 'SELECT'?"]
        ),
        (
            "unknown column", "dataproduct.yaml", "columns: [orders.customer_email]", "columns: [orders.customer_mail]",
            [
                "dataproduct.yaml:29:17: unknown column 'customer_mail' of table 'orders' in 'orders.customer_mail'; did you mean 'customer_email'?"
            ]
        ),
        (
            "unknown schema key", "dataproduct.yaml", "    schema: orders\n", "    schema: order\n",
            [
                "dataproduct.yaml:12:13: unknown schema 'order' in output port 'orders': name a key of resources.schemas; did you mean 'orders'?"
            ]
        ),
        (
            "task dependency cycle", "databricks.yml",
            "        - task_key: settle\n          notebook_task:\n            notebook_path: ./src/settle_orders.py\n",
            """
                    - task_key: settle
                      depends_on: [{task_key: report}]
                      notebook_task: {notebook_path: ./src/settle_orders.py}
                    - task_key: report
                      depends_on: [{task_key: settle}]
                      notebook_task: {notebook_path: ./src/settle_orders.py}

            """,
            ["databricks.yml:38:21: dependency cycle: tasks report → settle → report"]
        ),
        (
            "unknown task dependency", "databricks.yml", "        - task_key: settle\n",
            "        - task_key: settle\n          depends_on: [{task_key: setle}]\n",
            ["databricks.yml:35:21: task 'settle' depends on unknown task 'setle'; did you mean 'settle'?"]
        ),
        (
            "unmappable logical type", "contracts/orders.odcs.yaml", "        logicalType: date\n",
            "        logicalType: datetime\n",
            [
                "contracts/orders.odcs.yaml:45:22: 'logicalType' in property 'orders.order_date' must be one of 'string', "
                    + "'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean', found 'datetime'"
            ]
        ),
        (
            "invalid product id", "dataproduct.yaml", "id: orders", "id: Orders_2",
            [
                "dataproduct.yaml:2:5: invalid product id 'Orders_2': use lower-case letters, digits and '-' (at most 64, starting with a letter)"
            ]
        ),
        (
            "wrong type for a list", "dataproduct.yaml", "    purposes: [financial reporting]",
            "    purposes: financial reporting",
            ["dataproduct.yaml:38:15: 'purposes' in 'regulatory.gdpr' must be a list, found a string"]
        ),
        (
            "unknown target key", "databricks.yml", "    mode: production\n",
            "    mode: production\n    run_ass: {user_name: x}\n",
            ["databricks.yml:16:5: unknown key 'run_ass' in target 'prod'; did you mean 'run_as'?"]
        ),
    ]

    @Test(arguments: edits)
    func editedExample(name: String, file: String, old: String, new: String, expected: [String]) throws {
        let copy = try ProductFixture.copy(example: "orders")
        defer { copy.remove() }
        try ProductFixture.edit(copy.url, file, old, new)
        #expect(ProductFixture.diagnostics(copy.url) == expected, "\(name)")
    }

    @Test func unknownTargetNamesTheTargets() throws {
        let product = try ProductLoader.load(DirectoryFileSource(root: Paths.example("orders")))
        #expect(throws: DiagnosticList.self) { try product.render(target: "qa") }
        #expect(
            ProductLoader.validate(DirectoryFileSource(root: Paths.example("orders")), target: "prd").map(\.description)
                == ["databricks.yml:0:0: unknown target 'prd'; did you mean 'prod'?; targets: dev, prod"])
    }

    @Test func reportsEveryErrorAtOnceSorted() throws {
        let copy = try ProductFixture.copy(example: "orders")
        defer { copy.remove() }
        try ProductFixture.edit(copy.url, "dataproduct.yaml", "owner:", "ownr:")
        try ProductFixture.edit(copy.url, "contracts/orders.odcs.yaml", "DECIMAL(18,2)", "MONEY")
        try ProductFixture.edit(copy.url, "databricks.yml", "      name: orders\n", "      name: orders-x\n")
        let diagnostics = ProductFixture.diagnostics(copy.url)
        #expect(diagnostics.count == 4)
        #expect(diagnostics == diagnostics.sorted())
        #expect(diagnostics[0].hasPrefix("contracts/orders.odcs.yaml:37:23: physicalType 'MONEY'"))
    }

    @Test func missingFilesAreReported() throws {
        let directory = try ProductFixture.write(["README.md": "nothing here\n"])
        defer { directory.remove() }
        #expect(
            ProductFixture.diagnostics(directory.url) == [
                "databricks.yml:0:0: missing bundle file databricks.yml",
                "dataproduct.yaml:0:0: missing product descriptor dataproduct.yaml",
            ])
    }

    @Test func typeMappingNormalizesDatabricksTypes() {
        #expect(DatabricksType.normalize("DECIMAL(18, 2)") == "decimal(18,2)")
        #expect(DatabricksType.normalize("LONG") == "bigint")
        #expect(
            DatabricksType.normalize("ARRAY<STRUCT<a: INT, b: VARCHAR(10)>>") == "array<struct<a:int,b:varchar(10)>>")
        #expect(DatabricksType.normalize("MAP<STRING,DOUBLE>") == "map<string,double>")
        #expect(DatabricksType.normalize("decimal") == "decimal(10,0)")
        #expect(DatabricksType.normalize("NUMBER(18,2)") == nil)
        #expect(DatabricksType.normalize("decimal(40,2)") == nil)
        #expect(DatabricksType.normalize("array<string") == nil)
    }
}
