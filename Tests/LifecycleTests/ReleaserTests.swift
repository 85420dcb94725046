import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore
import Lifecycle
import TestSupport
import Testing

@Suite("lakegate release (library)")
struct ReleaserTests {
    @Test func aSignedReleaseRecordsTheDigestsAndVerifiesWithGit() throws {
        let scenario = try LifecycleScenario()
        let result = try scenario.releaser().run()
        let tagObject = try #require(result.tagObject)
        #expect(result.signed)
        #expect(try scenario.fixture.git(scenario.product, "rev-parse", "refs/tags/v0.1.0") == tagObject.hex)
        let verify = try scenario.gitVerifyTag("v0.1.0")
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stderr.contains("Good \"git\" signature for release-manager@bank.example"))

        // The trailers are real git trailers and hold the digests of what the controller will render.
        let body = try scenario.fixture.git(
            scenario.product, "tag", "-l", "--format=%(contents:subject)%0a%0a%(contents:body)", "v0.1.0")
        let trailers = try scenario.fixture.run("git", ["interpret-trailers", "--parse"], input: body + "\n").stdout
        let product = try ProductLoader.load(DirectoryFileSource(root: URL(fileURLWithPath: scenario.product)))
        for target in ["qa", "prod"] {
            #expect(trailers.contains("Lakegate-State-\(target): \(try product.render(target: target).digest)"))
        }
        #expect(trailers.contains("Lakegate-Policy-Report: \(result.evaluation.report.digest)"))
        #expect(trailers.contains("Lakegate-Policy-Targets: qa prod"))
        #expect(trailers.contains("Lakegate-Product: sales-leads"))
        #expect(ReleaseRecord(message: body).states.count == 2)
    }

    @Test func refusesWhenAPolicyBlocks() throws {
        let scenario = try LifecycleScenario()
        // Unmask the pii column: access.pii-columns-masked (error in qa and prod) blocks.
        try scenario.fixture.edit(
            scenario.product, "dataproduct.yaml", replacing: "        - sales_leads.contact_email\n",
            with: "        - sales_leads.id\n")
        try scenario.commit("Mask the id instead")
        let result = try scenario.releaser().run()
        #expect(result.tagObject == nil)
        #expect(!result.evaluation.report.passed)
        let blocking = result.evaluation.report.targets.flatMap(\.results).filter(\.blocking).map(\.policy)
        #expect(Set(blocking) == ["access.pii-columns-masked"])
        #expect(try scenario.fixture.git(scenario.product, "tag", "-l").isEmpty)
    }

    @Test func refusesADirtyTreeAnExistingTagAndANonVersion() throws {
        let scenario = try LifecycleScenario()
        try Data("draft\n".utf8).write(to: URL(fileURLWithPath: scenario.product + "/notes.md"))
        let untracked = #expect(throws: LifecycleError.self) { try scenario.releaser().run() }
        #expect(untracked?.message.contains("uncommitted changes") == true)
        #expect(untracked?.message.contains("notes.md") == true)
        try FileManager.default.removeItem(atPath: scenario.product + "/notes.md")
        try scenario.fixture.edit(scenario.product, "README.md", replacing: "# sales-leads", with: "# Sales leads")
        let modified = #expect(throws: LifecycleError.self) { try scenario.releaser().run() }
        #expect(modified?.message.contains("README.md") == true)
        try scenario.commit("Title")

        let first = try scenario.releaser("0.1.0", sign: false).run()
        #expect(first.tag == "v0.1.0")
        #expect(first.signed == false)
        #expect(try scenario.fixture.git(scenario.product, "cat-file", "-t", "v0.1.0") == "tag")
        let again = #expect(throws: LifecycleError.self) { try scenario.releaser().run() }
        #expect(again?.message.contains("already exists") == true)
        #expect(throws: LifecycleError.self) { try Releaser.tagName(for: "latest") }
        #expect(try Releaser.tagName(for: "dp/orders/v1.4.0") == "dp/orders/v1.4.0")
    }

    @Test func theNextReleaseIsCheckedAgainstThePreviousOne() throws {
        let scenario = try LifecycleScenario()
        _ = try scenario.releaser().run()
        // Loosening a classification breaks consumers: contract.no-breaking-changes blocks prod.
        try scenario.fixture.edit(
            scenario.product, "contracts/sales_leads.odcs.yaml", replacing: "classification: restricted",
            with: "classification: internal")
        try scenario.commit("Loosen the e-mail classification")
        let result = try scenario.releaser("v0.2.0").run()
        #expect(result.evaluation.previousRelease == "v0.1.0")
        #expect(result.tagObject == nil)
        let blocking = result.evaluation.report.targets.flatMap(\.results).filter(\.blocking).map(\.policy)
        #expect(blocking.contains("contract.no-breaking-changes"))
    }
}

@Suite("lakegate release: serve's gates (library)")
struct ReleaserGateTests {
    @Test func aRangeLackingARequiredTrailerIsRefusedAndTheCommitNamed() throws {
        let scenario = try LifecycleScenario()
        var releaser = scenario.releaser()
        releaser.gates = ["qa": GateRules(requiredTrailers: [.init(key: "Change-Request", pattern: "CHG-\\d+")])]
        let refused = try releaser.run()
        #expect(refused.tagObject == nil)
        let gate = refused.verdicts.first?.gates.first { $0.name == "trailer:Change-Request" }
        #expect(gate?.passed == false)
        #expect(gate?.reason.contains("has none") == true, "\(gate?.reason ?? "")")
        #expect(try scenario.fixture.git(scenario.product, "tag", "-l").isEmpty)
        // `scope: release` asks the release commit only.
        try scenario.fixture.git(
            scenario.product, "commit", "-q", "--allow-empty", "-m", "Ready", "-m", "Change-Request: CHG-1")
        releaser.gates = [
            "qa": GateRules(requiredTrailers: [.init(key: "Change-Request", pattern: "CHG-\\d+", scope: .release)])
        ]
        let released = try releaser.run()
        #expect(released.tagObject != nil, "\(released.verdicts.map(\.reason))")
    }
}

extension ReleaserGateTests {
    @Test func theEnvironmentsPolicySetFromTheGovernanceRepositoryIsJudgedToo() throws {
        let scenario = try LifecycleScenario()
        let folder = scenario.fixture.path("governance/qa")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(
            """
            id: test.never
            version: "1"
            status: enabled
            scope: dataproduct
            severity: error
            expression: "false"
            message: nothing passes this set
            """.utf8
        ).write(to: URL(fileURLWithPath: folder + "/never.yaml"))
        let policies = try PolicyLoader.load(from: DirectoryFileSource(root: URL(fileURLWithPath: folder)))
        var releaser = scenario.releaser()
        releaser.gates = ["qa": GateRules()]
        releaser.policySets = [
            "qa": PolicySet(name: "qa", commit: String(repeating: "1", count: 40), policies: policies)
        ]
        let refused = try releaser.run()
        #expect(refused.tagObject == nil)
        let failing = refused.verdicts.flatMap(\.failing).map(\.name)
        #expect(failing == ["policy-set:qa", "policy:test.never"], "\(refused.verdicts.map(\.reason))")
        #expect(try scenario.fixture.git(scenario.product, "tag", "-l").isEmpty)
    }
}
