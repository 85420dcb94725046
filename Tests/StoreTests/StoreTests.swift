// Tests for the Store target: Swift Testing suites, one file per type under test.
