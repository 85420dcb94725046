import Foundation
import GitSource
import Governance
import TestSupport
import Testing

@Suite("Revisions")
struct RevisionTests {
    @Test("semver precedence")
    func semver() throws {
        let ordered = [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0",
        ]
        let versions = ordered.compactMap(SemanticVersion.init)
        #expect(versions.count == ordered.count)
        #expect(versions == versions.sorted())
        #expect(SemanticVersion("01.0.0") == nil)
        #expect(SemanticVersion("1.0") == nil)
    }

    @Test("newest release by semver under a prefix; prereleases only when asked; branch heads")
    func newestRelease() throws {
        let fixture = try GitFixture()
        let repo = try fixture.makeRepository("revisions")
        for tag in ["dp/orders/v1.2.0", "dp/orders/v1.10.0", "dp/orders/v2.0.0-rc.1", "dp/payments/v9.0.0", "v3.0.0"] {
            try fixture.tag(repo, tag)
        }
        let repository = try Repository(openingAt: repo)
        #expect(try repository.newestRelease(prefix: "dp/orders/v")?.name == "dp/orders/v1.10.0")
        #expect(
            try repository.newestRelease(prefix: "dp/orders/v", includePrereleases: true)?.name
                == "dp/orders/v2.0.0-rc.1")
        #expect(try repository.newestRelease(prefix: "v")?.name == "v3.0.0")
        #expect(try repository.branchHead("main").hex == (try fixture.git(repo, "rev-parse", "main")))
    }

    @Test("the tag object parser splits the signature block off")
    func tagObject() throws {
        let raw =
            "object 0123456789012345678901234567890123456789\ntype commit\ntag v1\ntagger A <a@x> 1 +0000\n\nmsg\n-----BEGIN SSH SIGNATURE-----\nabc\n-----END SSH SIGNATURE-----\n"
        let tag = try TagObject(raw: Data(raw.utf8))
        #expect(tag.name == "v1" && tag.type == "commit" && tag.message == "msg\n")
        #expect(String(decoding: tag.payload, as: UTF8.self).hasSuffix("msg\n"))
        #expect(tag.signature.map { String(decoding: $0, as: UTF8.self).hasPrefix("-----BEGIN SSH") } == true)
    }
}
