import Foundation
import GitSource
import LakegateCore
import TestSupport
import Testing

@Suite("GitTreeFileSource")
struct GitTreeFileSourceTests {
    static func repository(_ fixture: GitFixture) throws -> String {
        let repo = try fixture.makeRepository("files")
        try fixture.commit(
            repo, message: "Product files\n",
            files: [
                "products/orders/dataproduct.yaml": "name: orders\n", "products/orders/schemas/a.yaml": "a: 1\n",
                "products/other/x.yaml": "x\n", "big.bin": String(repeating: "z", count: 4096),
            ])
        let orders = "\(repo)/products/orders"
        try FileManager.default.createSymbolicLink(atPath: "\(orders)/link.yaml", withDestinationPath: "schemas/a.yaml")
        try FileManager.default.createSymbolicLink(
            atPath: "\(orders)/escape.yaml", withDestinationPath: "../other/x.yaml")
        try FileManager.default.createSymbolicLink(
            atPath: "\(orders)/absolute.yaml", withDestinationPath: "/etc/passwd")
        try fixture.commit(repo, message: "Links\n")
        return repo
    }

    @Test("reads and lists files at a commit below a prefix, without a work tree")
    func readAndList() throws {
        let fixture = try GitFixture()
        let repo = try Self.repository(fixture)
        let first = try fixture.git(repo, "rev-parse", "HEAD~1")
        try fixture.commit(repo, message: "Change\n", files: ["products/orders/dataproduct.yaml": "name: changed\n"])
        let source = try GitTreeFileSource(repositoryPath: repo, revision: first, prefix: "products/orders")
        #expect(String(decoding: try source.read("dataproduct.yaml"), as: UTF8.self) == "name: orders\n")
        #expect(try source.list("") == ["dataproduct.yaml", "schemas/a.yaml"])
        #expect(source.exists("schemas/a.yaml"))
        #expect(!source.exists("missing.yaml"))
        let head = try GitTreeFileSource(repositoryPath: repo, revision: "main", prefix: "products/orders")
        #expect(String(decoding: try head.read("dataproduct.yaml"), as: UTF8.self) == "name: changed\n")
        #expect(String(decoding: try head.read("link.yaml"), as: UTF8.self) == "a: 1\n")
        #expect(head.displayName.contains("products/orders"))
    }

    @Test("a symbolic link leaving the product directory is an error")
    func symlinkEscape() throws {
        let fixture = try GitFixture()
        let repo = try Self.repository(fixture)
        let source = try GitTreeFileSource(repositoryPath: repo, revision: "HEAD", prefix: "products/orders")
        #expect {
            try source.read("escape.yaml")
        } throws: { error in
            "\(error)".contains("leaves the product directory")
        }
        #expect {
            try source.read("absolute.yaml")
        } throws: { error in
            "\(error)".contains("leaves the product directory")
        }
        #expect(throws: FileSourceError.self) { try source.read("../other/x.yaml") }
    }

    @Test("a file over the size limit is an error")
    func sizeLimit() throws {
        let fixture = try GitFixture()
        let repo = try Self.repository(fixture)
        let source = try GitTreeFileSource(repositoryPath: repo, revision: "HEAD", maxFileSize: 1024)
        #expect {
            try source.read("big.bin")
        } throws: { error in
            "\(error)" == "big.bin: file is 4096 bytes, over the limit of 1024"
        }
    }

    @Test("a submodule is an error")
    func submodule() throws {
        let fixture = try GitFixture()
        let inner = try fixture.makeRepository("inner")
        let repo = try fixture.makeRepository("outer")
        let commit = try fixture.git(inner, "rev-parse", "HEAD")
        try fixture.git(repo, "update-index", "--add", "--cacheinfo", "160000,\(commit),products/orders/vendored")
        try fixture.git(repo, "commit", "-q", "-m", "Add submodule")
        let source = try GitTreeFileSource(repositoryPath: repo, revision: "HEAD", prefix: "products/orders")
        #expect {
            try source.read("vendored/file.yaml")
        } throws: { error in
            "\(error)".contains("is a submodule")
        }
        #expect(throws: FileSourceError.self) { try source.list("") }
    }
}
