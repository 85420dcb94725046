import Foundation
import GitSource
import Testing

@Suite("Committing work-tree files through libgit2")
struct WorkTreeCommitTests {
    @Test func commitsExactlyTheNamedFilesFoundFromASubdirectory() throws {
        let fixture = try GitFixture()
        let repo = try fixture.makeRepository("work")
        try fixture.commit(repo, message: "Add old", files: ["old.txt": "old\n", "sub/keep.txt": "keep\n"])
        try fixture.git(repo, "config", "user.name", "Dana Developer")
        try fixture.git(repo, "config", "user.email", "dana@bank.example")
        try Data("hello again\n".utf8).write(to: URL(fileURLWithPath: repo + "/README.md"))
        try Data("new\n".utf8).write(to: URL(fileURLWithPath: repo + "/sub/new.txt"))
        try FileManager.default.removeItem(atPath: repo + "/old.txt")
        try Data("not captured\n".utf8).write(to: URL(fileURLWithPath: repo + "/untouched.txt"))

        let repository = try Repository.discover(from: repo + "/sub")
        #expect(
            repository.workTree.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
                == URL(fileURLWithPath: repo).resolvingSymlinksInPath().path)
        let id = try repository.commitFiles(["README.md", "sub/new.txt", "old.txt"], message: "Capture dev\n")

        #expect(try fixture.git(repo, "rev-parse", "HEAD") == id.hex)
        #expect(
            try fixture.git(repo, "log", "-1", "--format=%s|%an|%ae") == "Capture dev|Dana Developer|dana@bank.example")
        let changed = try fixture.git(repo, "show", "--name-status", "--format=", "HEAD")
        #expect(changed.split(separator: "\n").sorted() == ["A\tsub/new.txt", "D\told.txt", "M\tREADME.md"])
        #expect(try fixture.git(repo, "status", "--porcelain") == "?? untouched.txt")
    }

    @Test func refusesWhenOtherChangesAreStaged() throws {
        let fixture = try GitFixture()
        let repo = try fixture.makeRepository("staged")
        try fixture.git(repo, "config", "user.name", "Dana Developer")
        try fixture.git(repo, "config", "user.email", "dana@bank.example")
        try Data("other\n".utf8).write(to: URL(fileURLWithPath: repo + "/other.txt"))
        try fixture.git(repo, "add", "other.txt")
        try Data("changed\n".utf8).write(to: URL(fileURLWithPath: repo + "/README.md"))
        let before = try fixture.git(repo, "rev-parse", "HEAD")
        #expect {
            try Repository.discover(from: repo).commitFiles(["README.md"], message: "Capture")
        } throws: { error in
            "\(error)".contains("already staged")
        }
        #expect(try fixture.git(repo, "rev-parse", "HEAD") == before)
    }
}
