// Tests for the Descriptors target: Swift Testing suites, one file per type under test.
