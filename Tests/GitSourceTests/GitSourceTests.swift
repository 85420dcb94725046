// Tests for the GitSource target: Swift Testing suites, one file per type under test.
