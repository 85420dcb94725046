import Foundation
import LakegateCore
import OperatorConfig
import Testing

/// `gates.bindPlan` is read where approvals are followed and refused elsewhere; `$LAKEGATE_STATE_DIR` is the state
/// directory of a file that names none.
@Suite struct OperatorConfigPlanBindingTests {
    @Test func bindPlanIsReadOnEnvironmentsThatFollowApprovals() throws {
        let config = try OperatorConfig.parse(
            OperatorConfigTests.promoted(prod: "policySet: none, bindPlan: true"), path: "lakegate.yaml")
        #expect(config.environment("prod")?.gates.bindPlan == true)
        #expect(config.environment("qa")?.gates.bindPlan == false)
    }

    @Test func bindPlanElsewhereIsAnError() {
        let messages = OperatorConfigTests.diagnostics(
            OperatorConfigTests.promoted(qa: "policySet: none, bindPlan: true")
        ).map(\.description)
        #expect(
            messages == [
                "lakegate.yaml:8:40: environments.qa.gates.bindPlan: binding approvals to a plan needs follows: approvals"
            ])
        let wrongType = OperatorConfigTests.diagnostics(
            OperatorConfigTests.promoted(prod: "policySet: none, bindPlan: maybe")
        ).map(\.message)
        #expect(wrongType.contains { $0.hasPrefix("environments.prod.gates.bindPlan:") }, "\(wrongType)")
    }

    @Test func theStateDirectoryComesFromTheEnvironmentWhenTheFileNamesNone() throws {
        let environment = ["LAKEGATE_STATE_DIR": "/srv/lakegate-state"]
        let unset = try OperatorConfig.parse(
            OperatorConfigTests.minimal, path: "lakegate.yaml", environment: environment)
        #expect(unset.stateDir == "/srv/lakegate-state")
        let named = try OperatorConfig.parse(
            "stateDir: /var/lib/other\n" + OperatorConfigTests.minimal, path: "lakegate.yaml", environment: environment)
        #expect(named.stateDir == "/var/lib/other")
        let empty = try OperatorConfig.parse(
            OperatorConfigTests.minimal, path: "lakegate.yaml", environment: ["LAKEGATE_STATE_DIR": ""])
        #expect(empty.stateDir == "/var/lib/lakegate")
    }
}
