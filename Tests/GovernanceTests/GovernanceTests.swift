// Tests for the Governance target: Swift Testing suites, one file per type under test.
