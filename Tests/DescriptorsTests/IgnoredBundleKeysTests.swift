import Descriptors
import Foundation
import LakegateCore
import TestSupport
import Testing

/// Bundle keys Databricks knows and Lakegate does not act on are accepted with a warning naming each, and change
/// nothing Lakegate renders; a misspelt key is still an error.
@Suite struct IgnoredBundleKeysTests {
    /// customer-360 with `run_as`, `presets` and `permissions` at the top, `run_as` in prod, `lifecycle` on a job
    /// and on the catalog, and `permissions` on the catalog.
    static func product() throws -> TemporaryDirectory {
        let directory = try ProductFixture.copy(example: "customer-360")
        try ProductFixture.edit(
            directory.url, "databricks.yml", "bundle:\n  name: customer_360\n",
            """
            bundle:
              name: customer_360
              databricks_cli_version: ">= 0.250.0"

            run_as:
              service_principal_name: 9f5c1f3e-0000-4000-8000-000000000001
            presets:
              name_prefix: "[c360] "
            permissions:
              - level: CAN_MANAGE
                group_name: crm_engineers

            """)
        try ProductFixture.edit(
            directory.url, "databricks.yml", "  prod:\n    mode: production\n",
            "  prod:\n    mode: production\n    run_as:\n      user_name: deployer@bank.example\n")
        try ProductFixture.edit(
            directory.url, "resources/workloads.yml", "      description: Loads CRM extracts",
            "      lifecycle:\n        prevent_destroy: true\n      description: Loads CRM extracts")
        try ProductFixture.edit(
            directory.url, "resources/storage.yml", "      comment: Customer 360 data product",
            "      lifecycle: {prevent_destroy: true}\n      permissions: [{level: CAN_MANAGE, group_name: x}]\n"
                + "      comment: Customer 360 data product")
        return directory
    }

    @Test func knownKeysAreAcceptedWithAWarningNamingEach() throws {
        let directory = try Self.product()
        defer { directory.remove() }
        #expect(ProductFixture.diagnostics(directory.url).isEmpty, "\(ProductFixture.diagnostics(directory.url))")
        let warnings = ProductLoader.warnings(DirectoryFileSource(root: directory.url)).map(\.description)
        for expected in [
            "databricks.yml:4:3: 'databricks_cli_version' in 'bundle' is accepted but not acted on by Lakegate",
            "databricks.yml:6:1: 'run_as' in databricks.yml is accepted",
            "databricks.yml:8:1: 'presets' in databricks.yml is accepted",
            "databricks.yml:10:1: 'permissions' in databricks.yml is accepted",
            "'run_as' in target 'prod' is accepted",
            "'lifecycle' in 'resources.jobs.refresh_customer_360' is accepted",
            "'lifecycle' in 'resources.catalogs.c360' is accepted",
            "'permissions' in 'resources.catalogs.c360' is accepted",
        ] {
            #expect(warnings.contains { $0.contains(expected) }, "\(expected) not in \(warnings)")
        }
        #expect(warnings.count == 8, "\(warnings)")
    }

    @Test func ignoredKeysChangeNothingThatIsRendered() throws {
        let directory = try Self.product()
        defer { directory.remove() }
        for target in ["dev", "prod"] {
            let with = try ProductLoader.load(DirectoryFileSource(root: directory.url)).render(target: target)
            let without = try ProductLoader.load(DirectoryFileSource(root: Paths.example("customer-360")))
                .render(target: target)
            #expect(with.digest == without.digest, "\(target)")
        }
        #expect(ProductLoader.warnings(DirectoryFileSource(root: Paths.example("customer-360"))).isEmpty)
    }

    @Test func aMisspeltKeyIsStillAnError() throws {
        let directory = try ProductFixture.copy(example: "customer-360")
        defer { directory.remove() }
        try ProductFixture.edit(
            directory.url, "databricks.yml", "bundle:\n", "run_ass:\n  user_name: x@bank.example\nbundle:\n")
        let diagnostics = ProductFixture.diagnostics(directory.url)
        #expect(
            diagnostics.contains { $0.contains("unknown key 'run_ass'") && $0.contains("run_as") }, "\(diagnostics)")
    }
}
