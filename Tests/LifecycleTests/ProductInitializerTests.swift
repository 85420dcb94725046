import Foundation
import GitSource
import LakegateCore
import TestSupport
import Testing

@testable import Lifecycle

@Suite("lakegate init (library)")
struct ProductInitializerTests {
    static let values = ["product_id": "sales-leads", "domain": "sales", "owner": "owner@bank.example"]

    static func blueprint(_ source: any FileSource) throws -> (Blueprint, [String: String]) {
        let blueprint = try Blueprint.load(from: source)
        return (blueprint, try ParameterValues.resolve(blueprint, given: values, prompter: nil))
    }

    @Test func writesTheFilesAndMakesOneCommitOnMain() throws {
        let fixture = try LifecycleFixture()
        let (blueprint, values) = try Self.blueprint(
            DirectoryFileSource(root: Paths.example("blueprints/sql-output-port")))
        let directory = fixture.path("new/product")
        let result = try ProductInitializer(blueprint: blueprint, values: values).run(
            into: URL(fileURLWithPath: directory), environment: fixture.environment)
        #expect(result.productID == "sales-leads")
        #expect(result.files.contains(".gitignore"))
        #expect(try fixture.git(directory, "rev-parse", "--abbrev-ref", "HEAD") == "main")
        #expect(try fixture.git(directory, "rev-parse", "HEAD") == result.commit.hex)
        #expect(
            try fixture.git(directory, "log", "--format=%an <%ae>|%s")
                == "Data Team <team@bank.example>|Create sales-leads from blueprint sql-output-port")
        #expect(try fixture.git(directory, "status", "--porcelain").isEmpty)
        let tracked = try fixture.git(directory, "ls-files").split(separator: "\n").map(String.init)
        #expect(tracked.sorted() == result.files)
        let dataProduct = try String(contentsOfFile: directory + "/dataproduct.yaml", encoding: .utf8)
        #expect(dataProduct.contains("name: sales_${bundle.target}") == false)
        #expect(dataProduct.contains("name: sales_leads_${bundle.target}"))
    }

    @Test func refusesANonEmptyDirectoryAndLeavesItAlone() throws {
        let fixture = try LifecycleFixture()
        let (blueprint, values) = try Self.blueprint(
            DirectoryFileSource(root: Paths.example("blueprints/pipeline")))
        let directory = fixture.path("busy")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: directory + "/notes.txt"))
        let error = #expect(throws: LifecycleError.self) {
            try ProductInitializer(blueprint: blueprint, values: values).run(
                into: URL(fileURLWithPath: directory), environment: fixture.environment)
        }
        #expect(error?.message.contains("is not empty") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["notes.txt"])
    }

    @Test func aBlueprintIsReadFromAGitURLAndPath() throws {
        let fixture = try LifecycleFixture()
        let origin = fixture.path("blueprints.git")
        let work = fixture.path("blueprints-work")
        try fixture.run("git", ["init", "-q", "--bare", "-b", "trunk", origin])
        try fixture.run("git", ["clone", "-q", origin, work])
        try FileManager.default.createDirectory(
            atPath: work + "/catalogue", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Paths.example("blueprints/pipeline").path, toPath: work + "/catalogue/pipeline")
        try fixture.git(work, "add", "-A")
        try fixture.git(work, "commit", "-q", "-m", "Pipeline blueprint")
        try fixture.git(work, "push", "-q", "origin", "HEAD:trunk")
        let reference = try #require(BlueprintLocator.gitReference("git::file://\(origin)//catalogue/pipeline"))
        #expect(reference == .init(url: "file://\(origin)", path: "catalogue/pipeline", ref: nil))
        let scratch = fixture.directory.url.appendingPathComponent("scratch.git")
        let source = try BlueprintLocator.locate("file://\(origin)//catalogue/pipeline", scratch: scratch)
        let (blueprint, values) = try Self.blueprint(source)
        #expect(blueprint.name == "pipeline")
        let result = try ProductInitializer(blueprint: blueprint, values: values).run(
            into: URL(fileURLWithPath: fixture.path("from-git")), environment: fixture.environment)
        #expect(result.files.contains("src/ingest.py"))
        #expect(BlueprintLocator.gitReference("https://git.example/x.git?ref=v2")?.ref == "v2")
        #expect(BlueprintLocator.gitReference("Examples/blueprints/pipeline") == nil)
    }
}
