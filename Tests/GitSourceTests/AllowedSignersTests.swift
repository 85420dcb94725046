import Foundation
import GitSource
import TestSupport
import Testing

/// Principal patterns of `allowed_signers` lines, as `ssh-keygen -Y verify` reads them (the signature tests
/// compare whole verifications with ssh-keygen).
@Suite struct AllowedSignersTests {
    @Test func principalsAreAPatternListWithNegations() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = directory.path + "/k"
        try ProcessRunner.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "k", "-f", key])
        let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
            .joined(separator: " ")
        let signers = try AllowedSigners(
            text: """
                *@bank.example,!mallory@bank.example \(publicKey)
                b?b@x.example \(publicKey)
                """, path: "allowed_signers")
        let (team, bob) = (signers.entries[0], signers.entries[1])
        #expect(team.matches(principal: "ann@bank.example"))
        #expect(!team.matches(principal: "mallory@bank.example"))
        #expect(!team.matches(principal: "ann@bank.example.evil"))
        #expect(bob.matches(principal: "bob@x.example"))
        #expect(bob.matches(principal: "böb@x.example"))
        #expect(!bob.matches(principal: "boob@x.example"))
    }
}
