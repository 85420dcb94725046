// Tests for the CEL target: Swift Testing suites, one file per type under test.
