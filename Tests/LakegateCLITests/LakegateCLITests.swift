// Tests for the LakegateCLI target: Swift Testing suites, one file per type under test.
