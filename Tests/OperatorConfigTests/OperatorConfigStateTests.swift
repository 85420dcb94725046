import LakegateCore
import OperatorConfig
import Testing

@Suite struct OperatorConfigStateTests {
    @Test func sharedStateIsReadWithItsPasswordReferenceAndLease() throws {
        let config = try OperatorConfig.parse(
            OperatorConfigTests.minimal
                + "\nstate: {url: 'postgres://lakegate@db:5432/lakegate', passwordEnv: PG_PASS, leaseDuration: 5s}\n",
            path: "lakegate.yaml")
        #expect(config.state?.url == "postgres://lakegate@db:5432/lakegate")
        #expect(config.state?.password == .environmentVariable("PG_PASS"))
        #expect(config.state?.leaseDuration == .seconds(5))
        #expect(try OperatorConfig.parse(OperatorConfigTests.minimal, path: "lakegate.yaml").state == nil)
    }

    @Test func aPasswordInTheURLAnotherSchemeAndAShortLeaseAreRefusedWithoutEchoingTheSecret() {
        let diagnostics = OperatorConfigTests.diagnostics(
            OperatorConfigTests.minimal + "\nstate: {url: 'postgres://lakegate:hunter2@db/lakegate'}\n")
        #expect(diagnostics.map(\.description).contains { $0.contains("state.url: a password in the URL") })
        #expect(diagnostics.allSatisfy { !$0.description.contains("hunter2") })
        let mysql = OperatorConfigTests.diagnostics(OperatorConfigTests.minimal + "\nstate: {url: 'mysql://db/x'}\n")
        #expect(mysql.map(\.description).contains { $0.contains("expected a postgres:// or postgresql:// URL") })
        let short = OperatorConfigTests.diagnostics(
            OperatorConfigTests.minimal + "\nstate: {url: 'postgres://db/x', leaseDuration: 500ms}\n")
        #expect(short.map(\.description).contains { $0.contains("state.leaseDuration: must be at least 1s") })
    }
}
