// Tests for the Reconciler target: Swift Testing suites, one file per type under test.
