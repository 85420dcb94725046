import Foundation
import GitSource
import Store
import TestSupport
import Testing

@Suite("GitMirror")
struct GitMirrorTests {
    @Test("polls list refs, fetch only on change, prune deleted refs and record tag moves")
    func pollCycle() async throws {
        let fixture = try GitFixture()
        let origin = try fixture.makeRepository("origin")
        try fixture.tag(origin, "v1.0.0")
        try fixture.git(origin, "branch", "feature")
        let store = StoreTagObservations(store: try StateStore(stateDirectory: fixture.path("state")))
        let mirror = GitMirror(url: "file://\(origin)", stateDirectory: fixture.path("state"))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)

        let first = try await mirror.poll(store: store, now: t0)
        #expect(first.changed)
        #expect(first.references.keys.sorted() == ["refs/heads/feature", "refs/heads/main", "refs/tags/v1.0.0"])
        #expect(first.events.count == 1)
        let mirrored = try Repository(openingAt: mirror.path)
        let originTag = try fixture.git(origin, "rev-parse", "refs/tags/v1.0.0")
        #expect(try mirrored.reference("refs/tags/v1.0.0")?.hex == originTag)

        let second = try await mirror.poll(store: store, now: t0.addingTimeInterval(60))
        #expect(!second.changed)
        #expect(second.events.isEmpty)

        try fixture.git(origin, "branch", "-D", "feature")
        try fixture.commit(origin, message: "Next\n")
        try fixture.tag(origin, "v1.0.0", force: true)
        let third = try await mirror.poll(store: store, now: t0.addingTimeInterval(120))
        #expect(third.changed)
        #expect(try Repository(openingAt: mirror.path).reference("refs/heads/feature") == nil)
        guard case .moved(let tag, let firstSeen, let now)? = third.events.first else {
            Issue.record("expected a moved event, got \(third.events)")
            return
        }
        #expect(tag == "refs/tags/v1.0.0")
        #expect(firstSeen.object.hex == originTag && firstSeen.firstSeen == t0)
        #expect(now.hex == (try fixture.git(origin, "rev-parse", "refs/tags/v1.0.0")))
        #expect(try store.first(repository: mirror.url, tag: "refs/tags/v1.0.0")?.object.hex == originTag)
    }

    @Test("a local path works as a remote too")
    func localPath() throws {
        let fixture = try GitFixture()
        let origin = try fixture.makeRepository("origin")
        let mirror = GitMirror(url: origin, stateDirectory: fixture.path("state"))
        #expect(try mirror.pollBlocking(store: nil).changed)
        #expect(try !mirror.pollBlocking(store: nil).changed)
    }

    @Test("credentials describe their kinds, never their values")
    func credentialsNotPrinted() {
        let credentials = GitCredentials.fromEnvironment([
            "LAKEGATE_GIT_TOKEN": "s3cr3t-token", "LAKEGATE_GIT_PASSWORD": "pw",
        ])
        #expect(!"\(credentials)".contains("s3cr3t"))
        #expect("\(credentials)" == "GitCredentials(token, basic)")
    }
}
