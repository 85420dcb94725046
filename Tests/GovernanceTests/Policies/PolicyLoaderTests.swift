import Foundation
import LakegateCore
import Testing

@testable import Governance

@Suite("PolicyLoader")
struct PolicyLoaderTests {
    static let valid = """
        id: access.no-public
        version: "2"
        status: grace
        scope: resource
        severity: {qa: warning, prod: error}
        expression: |
          !has(resource.fields.grants) ||
            resource.fields.grants.all(g, g.principal != "account users")
        message: granted to everyone
        """

    func parse(_ text: String, path: String = "p.yaml") throws -> Policy {
        try PolicyLoader.parse(Data(text.utf8), path: path)
    }

    func diagnostics(_ text: String) -> [Diagnostic] {
        do {
            _ = try parse(text)
            return []
        } catch let error as DiagnosticList {
            return error.diagnostics
        } catch {
            return [Diagnostic(SourceLocation(path: "?"), "\(error)")]
        }
    }

    @Test func parsesAValidPolicy() throws {
        let policy = try parse(Self.valid)
        #expect(policy.id == "access.no-public")
        #expect(policy.version == "2")
        #expect(policy.status == .grace)
        #expect(policy.scope == .resource)
        #expect(policy.severity(for: "prod") == .error)
        #expect(policy.severity(for: "qa") == .warning)
        #expect(policy.severity(for: "dev") == nil)
        #expect(policy.program != nil)
    }

    @Test func singleSeverityAppliesToEveryTarget() throws {
        let policy = try parse(Self.valid.replacingOccurrences(of: "{qa: warning, prod: error}", with: "warning"))
        #expect(policy.severity(for: "anything") == .warning)
    }

    @Test func reportsEveryProblemWithItsPosition() {
        let text = """
            id: Bad Id
            version: "1"
            status: live
            scope: resource
            severity: {prod: fatal}
            expression: "true"
            message: m
            colour: blue
            """
        let found = diagnostics(text).map(\.description)
        #expect(found.contains { $0.hasPrefix("p.yaml:1:5: id 'Bad Id'") })
        #expect(found.contains { $0.hasPrefix("p.yaml:3:9: 'status' is 'live'") })
        #expect(found.contains { $0.hasPrefix("p.yaml:5:18: severity is 'fatal'") })
        #expect(found.contains { $0.hasPrefix("p.yaml:8:1: unknown key 'colour'") })
    }

    @Test func missingKeysAreReported() {
        let found = diagnostics("id: x\n").map(\.message)
        for key in ["version", "status", "scope", "message", "severity"] {
            #expect(found.contains("missing required key '\(key)'"))
        }
        #expect(found.contains { $0.contains("'expression'") })
    }

    @Test func celSyntaxErrorInABlockPointsIntoTheFile() throws {
        let text = Self.valid.replacingOccurrences(
            of: "g.principal != \"account users\")", with: "g.principal != \"account users\"))")
        let found = diagnostics(text)
        let error = try #require(found.first)
        #expect(found.count == 1)
        #expect(error.message.hasPrefix("CEL: "))
        // Line 8 of the file is the second line of the expression.
        #expect(error.location.line == 8)
        #expect(error.location.column > 40)
    }

    @Test func celSyntaxErrorInAQuotedScalar() throws {
        let found = diagnostics(
            Self.valid.replacingOccurrences(
                of:
                    "expression: |\n  !has(resource.fields.grants) ||\n    resource.fields.grants.all(g, g.principal != \"account users\")",
                with: "expression: \"1 + + \""))
        let error = try #require(found.first)
        #expect(error.location.line == 6)
        #expect(error.location.column > 13)
    }

    @Test func builtinCheckNeedsContractScope() {
        let text = Self.valid.replacingOccurrences(
            of:
                "expression: |\n  !has(resource.fields.grants) ||\n    resource.fields.grants.all(g, g.principal != \"account users\")",
            with: "check: contract-breaking-changes")
        #expect(diagnostics(text).contains { $0.message.contains("needs scope 'contract'") })
        #expect(throws: Never.self) {
            try parse(text.replacingOccurrences(of: "scope: resource", with: "scope: contract"))
        }
    }

    @Test func directoryLoadRejectsDuplicateIdsAndEmptyDirectories() throws {
        let directory = try TemporaryDirectoryForPolicies()
        defer { directory.remove() }
        #expect(throws: DiagnosticList.self) { try PolicyLoader.load(from: directory.source) }
        try directory.write("a/one.yaml", Self.valid)
        try directory.write("b/two.yml", Self.valid)
        try directory.write("README.md", "not a policy")
        #expect {
            try PolicyLoader.load(from: directory.source)
        } throws: { error in
            (error as? DiagnosticList)?.diagnostics.first?.description.contains("already used by a/one.yaml:1") == true
        }
        try directory.write("b/two.yml", Self.valid.replacingOccurrences(of: "access.no-public", with: "access.other"))
        #expect(try PolicyLoader.load(from: directory.source).map(\.id) == ["access.no-public", "access.other"])
    }

    @Test func starterPackLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/policies")
        let policies = try PolicyLoader.load(from: DirectoryFileSource(root: root))
        let categories = Set(policies.compactMap(\.category))
        #expect(
            categories == [
                "metadata", "contract-integrity", "access-control", "architecture", "regulation", "security",
            ])
    }
}

/// A scratch policy directory.
struct TemporaryDirectoryForPolicies {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("lakegate-policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var source: DirectoryFileSource { DirectoryFileSource(root: url) }

    func write(_ path: String, _ text: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
