// Tests for the EmulatorKit target: Swift Testing suites, one file per type under test.
