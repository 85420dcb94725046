// Tests for the CurlHTTP target: Swift Testing suites, one file per type under test.
