import Foundation
import GitSource
import LakegateCore
import TestSupport
import Testing

/// The directory source and the git-tree source refuse the same files with the same messages.
@Suite("File source parity")
struct FileSourceParityTests {
    /// A committed product directory with `links` (name → target) beside a regular file; both sources over it.
    func sources(_ links: [String: String]) throws -> (GitFixture, DirectoryFileSource, GitTreeFileSource) {
        let fixture = try GitFixture()
        let repo = try fixture.makeRepository("parity")
        try fixture.commit(
            repo, message: "Files\n",
            files: ["product/contracts/a.odcs.yaml": "a: 1\n", "outside.yaml": "x: 1\n", "product/big.txt": "123456"])
        for (name, target) in links {
            try FileManager.default.createSymbolicLink(
                atPath: "\(repo)/product/contracts/\(name)", withDestinationPath: target)
        }
        try fixture.commit(repo, message: "Links\n")
        let directory = DirectoryFileSource(root: URL(fileURLWithPath: "\(repo)/product"), maxFileSize: 5)
        let tree = try GitTreeFileSource(repositoryPath: repo, revision: "HEAD", prefix: "product", maxFileSize: 5)
        return (fixture, directory, tree)
    }

    func failure(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "links out, absolute links, loops and oversized files: the same error from both sources, read and list",
        arguments: [
            (["zero.odcs.yaml": "/dev/zero"], "symbolic link zero.odcs.yaml -> /dev/zero leaves the product directory"),
            (
                ["out.odcs.yaml": "../../outside.yaml"],
                "symbolic link out.odcs.yaml -> ../../outside.yaml leaves the product directory"
            ),
            (["loop.odcs.yaml": "loop.odcs.yaml"], "too many symbolic links"),
        ] as [([String: String], String)])
    func sameRefusals(links: [String: String], reason: String) throws {
        let (fixture, directory, tree) = try sources(links)
        _ = fixture
        let path = "contracts/" + links.keys.first!
        #expect(failure { try directory.read(path) } == "\(path): \(reason)")
        #expect(failure { try tree.read(path) } == "\(path): \(reason)")
        #expect(failure { try directory.list("") } == "\(path): \(reason)")
        #expect(failure { try tree.list("") } == "\(path): \(reason)")
    }

    @Test("an in-product link is listed and read by both; a file over the limit is refused alike")
    func sameReads() throws {
        let (fixture, directory, tree) = try sources(["b.odcs.yaml": "a.odcs.yaml"])
        _ = fixture
        #expect(try directory.list("") == tree.list(""))
        #expect(try directory.list("") == ["big.txt", "contracts/a.odcs.yaml", "contracts/b.odcs.yaml"])
        #expect(try directory.read("contracts/b.odcs.yaml") == tree.read("contracts/b.odcs.yaml"))
        #expect(failure { try directory.read("big.txt") } == "big.txt: file is 6 bytes, over the limit of 5")
        #expect(failure { try tree.read("big.txt") } == "big.txt: file is 6 bytes, over the limit of 5")
    }
}
