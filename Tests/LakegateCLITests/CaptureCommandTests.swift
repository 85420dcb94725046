import Databricks
import Foundation
import LakegateCore
import Logging
import TestSupport
import Testing

@Suite("lakegate capture against the emulator")
struct CaptureCommandTests {
    static let warehouse = "a1b2c3d4e5f60001"

    /// customer-360 in a git repository, applied to a fresh emulator.
    struct Setup {
        let emulator: EmulatorProcess
        let directory: TemporaryDirectory
        let product: String
        let state: String
        let client: DatabricksClient

        init() throws {
            emulator = try EmulatorProcess.start()
            directory = try TemporaryDirectory(prefix: "lakegate-cli-capture")
            product = directory.url.appendingPathComponent("repo/customer-360").path
            state = directory.url.appendingPathComponent("state").path
            try FileManager.default.createDirectory(
                atPath: directory.url.appendingPathComponent("repo").path, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Paths.example("customer-360").path, toPath: product)
            let config = try DatabricksConfig.resolve(
                explicit: ["host": emulator.baseURL.absoluteString, "token": "dev-token"], environment: [:],
                homeDirectory: "/nonexistent")
            client = try DatabricksClient(config: config, logger: Logger(label: "test"))
            try git(["init", "-q", "-b", "main"])
            try git(["config", "user.name", "Dana Developer"])
            try git(["config", "user.email", "dana@example.com"])
            try git(["add", "."])
            try git(["commit", "-q", "-m", "customer-360"])
        }

        @discardableResult
        func git(_ arguments: [String]) throws -> String {
            let result = try ProcessRunner.run(
                "/usr/bin/git", ["-C", directory.url.appendingPathComponent("repo").path] + arguments,
                environment: [
                    "HOME": directory.path, "PATH": "/usr/bin:/bin", "GIT_AUTHOR_NAME": "Dev",
                    "GIT_COMMITTER_NAME": "Dev",
                    "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_EMAIL": "dev@example.com",
                ])
            #expect(result.status == 0, "git \(arguments): \(result.stderr)")
            return result.stdout
        }

        func run(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run(
                Paths.executable("lakegate").path,
                arguments + ["--state-dir", state, "--host", emulator.baseURL.absoluteString, product],
                environment: ["DATABRICKS_TOKEN": "dev-token", "HOME": directory.path, "PATH": "/usr/bin:/bin"])
        }

        func file(_ path: String) throws -> String {
            try String(contentsOfFile: product + "/" + path, encoding: .utf8)
        }

        func stop() {
            emulator.stop()
            directory.remove()
        }

        /// What a developer does in Databricks: a new column, new comments, a new grant, edited Genie instructions.
        func changeTheWorkspace() async throws {
            for statement in [
                "ALTER TABLE c360_dev.crm.customers ADD COLUMNS (loyalty_tier STRING COMMENT 'Loyalty programme tier')",
                "ALTER TABLE c360_dev.crm.customers ALTER COLUMN segment COMMENT 'Marketing segment, recomputed hourly.'",
                "COMMENT ON TABLE c360_dev.engagement.interactions IS 'Every customer interaction, all channels.'",
            ] {
                _ = try await client.executeSQL(statement, warehouseID: CaptureCommandTests.warehouse)
            }
            _ = try await client.updateGrants(
                securableType: "table", fullName: "c360_dev.crm.customers",
                changes: [["principal": "marketing", "add": ["SELECT"]]])
            _ = try await client.updateGrants(
                securableType: "schema", fullName: "c360_dev.crm",
                changes: [["principal": "marketing", "add": ["USE_SCHEMA"]]])
            let job = try #require(
                try await client.listJobs(name: "customer-360 refresh (dev)").first?["job_id"]?.intValue)
            try await client.updateJob(
                job, settings: ["description": "Loads CRM extracts and rebuilds segments.", "max_concurrent_runs": 3])
            let notebook = try String(contentsOfFile: product + "/src/build_segments.sql", encoding: .utf8)
            try await client.importWorkspaceObject(
                path: "/Workspace/Shared/.bundle/customer_360/dev/files/src/build_segments",
                content: Array((notebook + "-- tuned in Databricks\n").utf8), language: "SQL", overwrite: true)
            let id = try #require(try await client.listGenieSpaces().first?["space_id"]?.stringValue)
            let space = try await client.getGenieSpace(id)
            let serialized = try JSONValue(parsing: try #require(space["serialized_space"]?.stringValue))
            var edited = serialized.objectValue ?? [:]
            edited["instructions"] = [
                "text_instructions": [
                    [
                        "id": "2c3d4e5f60718293a4b5c6d7e8f90a1b",
                        "content": ["Amounts are in EUR. Dormant customers count as active."],
                    ]
                ]
            ]
            _ = try await client.updateGenieSpace(
                id,
                ["serialized_space": .string(JSONValue.object(edited).canonicalJSON), "etag": space["etag"] ?? .null])
        }
    }

    @Test func captureRoundTripsDryRunWritesNothingAndCommitCommits() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        let applied = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        let nothing = try setup.run(["capture", "--target", "dev"])
        #expect(nothing.status == 0, "\(nothing.stderr)")
        #expect(nothing.stdout == "No changes to capture.\n")

        try await setup.changeTheWorkspace()
        let drift = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(drift.status == 2)

        let before = try setup.file("contracts/customers.odcs.yaml")
        let dryRun = try setup.run(["capture", "--target", "dev", "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("--- a/contracts/customers.odcs.yaml\n+++ b/contracts/customers.odcs.yaml\n"))
        #expect(dryRun.stdout.contains("+      - name: loyalty_tier\n"))
        #expect(dryRun.stdout.contains("Dry run: 7 file(s) would change; nothing was written."))
        #expect(try setup.file("contracts/customers.odcs.yaml") == before)
        #expect(try setup.git(["status", "--porcelain"]).isEmpty)

        let captured = try setup.run(["capture", "--target", "dev", "--commit", "-m", "Capture dev"])
        #expect(captured.status == 0, "\(captured.stdout)\n\(captured.stderr)")
        #expect(captured.stdout.contains("Captured into 7 file(s)."))

        let customers = try setup.file("contracts/customers.odcs.yaml")
        #expect(customers.contains("      - name: loyalty_tier\n        description: Loyalty programme tier\n"))
        #expect(customers.contains("        description: Marketing segment, recomputed hourly.\n"))
        for kept in ["metric: duplicateValues", "usage: Join on customer_id.", "criticalDataElement: true"] {
            #expect(customers.contains(kept), "business metadata kept: \(kept)")
        }
        #expect(
            try setup.file("contracts/interactions.odcs.yaml").contains("Every customer interaction, all channels."))
        let dataProduct = try setup.file("dataproduct.yaml")
        #expect(
            dataProduct.contains("    - principal: marketing\n      privileges: [SELECT]\n      tables: [customers]\n"))
        #expect(dataProduct.contains("businessTerms:\n  - term: Customer\n"))
        #expect(try setup.file("resources/storage.yml").contains("        - principal: marketing\n"))
        let genie = try setup.file("genie/customer_insights.geniespace.json")
        #expect(genie.contains("Dormant customers count as active."))
        #expect(genie.contains("${var.catalog}.crm.customer_addresses"))

        let workloads = try setup.file("resources/workloads.yml")
        #expect(workloads.contains("      description: Loads CRM extracts and rebuilds segments.\n"))
        #expect(workloads.contains("      max_concurrent_runs: 3\n"))
        #expect(workloads.contains("            notebook_path: ../src/build_segments.sql\n"), "paths stay as written")
        #expect(try setup.file("src/build_segments.sql").hasSuffix("-- tuned in Databricks\n"))

        let log = try setup.git(["log", "--format=%s", "-n", "2"])
        #expect(log == "Capture dev\ncustomer-360\n")
        #expect(try setup.git(["status", "--porcelain"]).isEmpty, "every changed file is in the commit")

        // The captured comments are contract descriptions now; the Genie space follows them at the next apply.
        #expect(
            captured.stderr.contains(
                "note: genie space customer_insights: column customers.segment description kept from the contract"),
            "\(captured.stderr)")
        let follow = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(follow.status == 2, "\(follow.stdout)")
        #expect(follow.stdout.contains("Plan: 0 to create, 1 to update, 0 to delete"), "\(follow.stdout)")
        #expect(follow.stdout.contains("~ genie space genie_spaces.customer_insights"), "\(follow.stdout)")
        let applied2 = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(applied2.status == 0, "\(applied2.stdout)\n\(applied2.stderr)")
        let id = try #require(try await setup.client.listGenieSpaces().first?["space_id"]?.stringValue)
        let space = try await setup.client.getGenieSpace(id)
        #expect(space["serialized_space"]?.stringValue?.contains("Marketing segment, recomputed hourly.") == true)

        let clean = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.stdout.hasPrefix("No changes."))
        let validate = try ProcessRunner.run(
            Paths.executable("lakegate").path, ["validate", setup.product], environment: ["PATH": "/usr/bin:/bin"])
        #expect(validate.status == 0, "\(validate.stderr)")
    }

    /// The lifecycle's step 3 to 4: a table built in the product's dev schema, without the product, becomes part of
    /// its contract; the next plan adopts it (markers, the product's grants, its share) and creates nothing.
    @Test func aTableBuiltInDatabricksIsCapturedAdoptedAndNotCreatedTwice() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        let applied = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        for statement in [
            "CREATE TABLE c360_dev.crm.loyalty_accounts (account_id BIGINT NOT NULL COMMENT 'Loyalty account', "
                + "email STRING COMMENT 'Contact e-mail', points DECIMAL(12,2) COMMENT 'Points balance') "
                + "COMMENT 'Loyalty programme accounts'",
            "ALTER TABLE c360_dev.crm.loyalty_accounts ALTER COLUMN email SET MASK c360_dev.crm.mask_pii_string",
            // Another product's table in the same schema is not ours to capture.
            "CREATE TABLE c360_dev.crm.partner_feed (id BIGINT)",
            "ALTER TABLE c360_dev.crm.partner_feed SET TAGS ('lakegate.product' = 'partner-feeds', 'lakegate.target' = 'dev')",
        ] {
            _ = try await setup.client.executeSQL(statement, warehouseID: CaptureCommandTests.warehouse)
        }
        let unaware = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(unaware.status == 0, "the plan does not see tables the files do not name: \(unaware.stdout)")

        let captured = try setup.run(["capture", "--target", "dev", "--commit", "-m", "Capture loyalty accounts"])
        #expect(captured.status == 0, "\(captured.stdout)\n\(captured.stderr)")
        #expect(captured.stdout.contains("+  - name: loyalty_accounts\n"), "\(captured.stdout)")
        let customers = try setup.file("contracts/customers.odcs.yaml")
        #expect(
            customers.contains(
                "  - name: loyalty_accounts\n    description: Loyalty programme accounts\n    physicalType: table\n"
                    + "    properties:\n      - name: account_id\n        description: Loyalty account\n"
                    + "        physicalType: BIGINT\n        required: true\n"))
        #expect(customers.contains("        physicalType: DECIMAL(12,2)\n"))
        #expect(!customers.contains("partner_feed"))
        #expect(try setup.file("dataproduct.yaml").contains("        - loyalty_accounts.email\n"))
        #expect(try setup.git(["status", "--porcelain"]).isEmpty)
        let validate = try ProcessRunner.run(
            Paths.executable("lakegate").path, ["validate", setup.product], environment: ["PATH": "/usr/bin:/bin"])
        #expect(validate.status == 0, "\(validate.stderr)")

        // The table exists and is not ours yet: adopted (markers, the product's grants), and added to the share of
        // the output port that publishes its contract. Nothing is created.
        let adopt = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(adopt.status == 2, "\(adopt.stdout)\n\(adopt.stderr)")
        #expect(
            adopt.stdout.contains("<= table tables.loyalty_accounts (c360_dev.crm.loyalty_accounts) will be adopted"))
        #expect(adopt.stdout.contains("~ share shares.customers"), "\(adopt.stdout)")
        #expect(adopt.stdout.contains("Plan: 0 to create, 1 to update, 0 to delete, 1 to adopt,"), "\(adopt.stdout)")
        let refused = try setup.run(["plan", "--target", "dev", "--no-adopt"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("c360_dev.crm.loyalty_accounts exists but is not owned by this product"))

        let adopted = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(adopted.status == 0, "\(adopted.stdout)\n\(adopted.stderr)")
        let clean = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.stdout.hasPrefix("No changes."))
        let again = try setup.run(["capture", "--target", "dev"])
        #expect(again.stdout == "No changes to capture.\n", "\(again.stdout)\n\(again.stderr)")
    }

    /// A table in a schema of the product that no output port publishes: a new contract and output port for it.
    @Test func aTableInAnUnpublishedSchemaGetsItsOwnContractThatValidates() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        let storage = setup.product + "/resources/storage.yml"
        try String(contentsOfFile: storage, encoding: .utf8).replacingOccurrences(
            of: "  schemas:\n",
            with: "  schemas:\n    staging:\n      catalog_name: ${resources.catalogs.c360.name}\n      name: staging\n"
        ).write(toFile: storage, atomically: true, encoding: .utf8)
        try setup.git(["commit", "-q", "-am", "staging schema"])
        let applied = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        _ = try await setup.client.executeSQL(
            "CREATE TABLE c360_dev.staging.raw_loyalty (id BIGINT NOT NULL COMMENT 'Id', payload STRING) "
                + "COMMENT 'Raw extract'", warehouseID: CaptureCommandTests.warehouse)

        let captured = try setup.run(["capture", "--target", "dev", "--commit", "-m", "Capture staging"])
        #expect(captured.status == 0, "\(captured.stdout)\n\(captured.stderr)")
        #expect(captured.stdout.contains("--- /dev/null\n+++ b/contracts/staging.odcs.yaml\n"), "\(captured.stdout)")
        #expect(try setup.file("dataproduct.yaml").contains("    contract: urn:lakegate:crm:customer-360:staging\n"))
        let validate = try ProcessRunner.run(
            Paths.executable("lakegate").path, ["validate", setup.product], environment: ["PATH": "/usr/bin:/bin"])
        #expect(validate.status == 0, "\(validate.stderr)")
        let adopt = try setup.run(["plan", "--target", "dev"])
        #expect(adopt.stdout.contains("Plan: 0 to create, 0 to update, 0 to delete, 1 to adopt,"), "\(adopt.stdout)")
        let adopted = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(adopted.status == 0, "\(adopted.stdout)\n\(adopted.stderr)")
        let clean = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(clean.status == 0, "\(clean.stdout)")
    }

    @Test func commitWithoutAMessageIsRefused() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let result = try setup.run(["capture", "--target", "dev", "--commit"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--commit needs a message"))
    }
}
