// Tests for the Planner target: Swift Testing suites, one file per type under test.
