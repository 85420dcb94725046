// Tests for the Databricks target: Swift Testing suites, one file per type under test.
