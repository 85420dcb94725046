import Foundation
import GitSource
import TestSupport
import Testing

@Suite("KnownHosts")
struct KnownHostsTests {
    /// A fresh ed25519 key from ssh-keygen: its `type base64` text and wire-format blob.
    static func key(in directory: TemporaryDirectory, _ name: String) throws -> (text: String, blob: Data) {
        let path = directory.path + "/" + name
        try ProcessRunner.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path])
        let fields = try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ")
        return (fields[0] + " " + fields[1], try #require(Data(base64Encoded: String(fields[1]))))
    }

    @Test("plain names, ports, patterns and negations decide which key a host may present")
    func plainEntries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (a, b) = (try Self.key(in: directory, "a"), try Self.key(in: directory, "b"))
        let knownHosts = try KnownHosts(
            text: """
                # comment
                git.example.com,10.0.0.7 \(a.text)
                [git.example.com]:2222 \(b.text)
                *.corp.example,!bad.corp.example \(b.text)
                @cert-authority *.example.com \(b.text)
                """)
        #expect(knownHosts.verdict(host: "git.example.com", port: 22, keyBlob: a.blob) == .trusted)
        #expect(knownHosts.verdict(host: "GIT.example.com", port: 22, keyBlob: a.blob) == .trusted)
        #expect(knownHosts.verdict(host: "10.0.0.7", port: 22, keyBlob: a.blob) == .trusted)
        #expect(knownHosts.verdict(host: "git.example.com", port: 22, keyBlob: b.blob) == .mismatch)
        #expect(knownHosts.verdict(host: "git.example.com", port: 2222, keyBlob: b.blob) == .trusted)
        #expect(knownHosts.verdict(host: "git.example.com", port: 2222, keyBlob: a.blob) == .mismatch)
        #expect(knownHosts.verdict(host: "repo.corp.example", port: 22, keyBlob: b.blob) == .trusted)
        #expect(knownHosts.verdict(host: "bad.corp.example", port: 22, keyBlob: b.blob) == .unknownHost)
        #expect(knownHosts.verdict(host: "other.example.org", port: 22, keyBlob: a.blob) == .unknownHost)
    }

    @Test("? in a host pattern stands for one byte, as in OpenSSH")
    func questionMarkIsOneByte() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let a = try Self.key(in: directory, "a")
        let knownHosts = try KnownHosts(text: "git?.example.com,h??st.example \(a.text)\n")
        #expect(knownHosts.verdict(host: "git1.example.com", port: 22, keyBlob: a.blob) == .trusted)
        #expect(knownHosts.verdict(host: "git12.example.com", port: 22, keyBlob: a.blob) == .unknownHost)
        #expect(knownHosts.verdict(host: "höst.example", port: 22, keyBlob: a.blob) == .trusted)
        #expect(knownHosts.verdict(host: "hoost.example", port: 22, keyBlob: a.blob) == .trusted)
        #expect(knownHosts.verdict(host: "host.example", port: 22, keyBlob: a.blob) == .unknownHost)
    }

    @Test("hashed names (ssh-keygen -H) and @revoked keys")
    func hashedAndRevoked() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (a, b) = (try Self.key(in: directory, "a"), try Self.key(in: directory, "b"))
        let file = directory.path + "/known_hosts"
        try "git.example.com \(a.text)\n[git.example.com]:2222 \(b.text)\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        try ProcessRunner.run("ssh-keygen", ["-q", "-H", "-f", file])
        let hashed = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!hashed.contains("git.example.com"))
        var knownHosts = try KnownHosts(contentsOf: file)
        #expect(knownHosts.verdict(host: "git.example.com", port: 22, keyBlob: a.blob) == .trusted)
        #expect(knownHosts.verdict(host: "git.example.com", port: 2222, keyBlob: b.blob) == .trusted)
        #expect(knownHosts.verdict(host: "git.example.com", port: 22, keyBlob: b.blob) == .mismatch)
        #expect(knownHosts.verdict(host: "git.example.net", port: 22, keyBlob: a.blob) == .unknownHost)

        try (hashed + "@revoked * \(a.text)\n").write(toFile: file, atomically: true, encoding: .utf8)
        knownHosts = try KnownHosts(contentsOf: file)
        #expect(knownHosts.verdict(host: "git.example.com", port: 22, keyBlob: a.blob) == .revoked)
    }

    @Test("a malformed line names the file and line; ssh URLs give host and port")
    func errorsAndEndpoints() throws {
        #expect {
            try KnownHosts(text: "ok.example ssh-ed25519 AAAA\nbroken-line\n", path: "/etc/known_hosts")
        } throws: { error in
            "\(error)".contains("/etc/known_hosts:2: expected `hosts key-type base64-key`")
        }
        #expect(
            KnownHosts.endpoint(ofSSHURL: "ssh://git@git.example.com:2222/team/orders.git")! == (
                "git.example.com", 2222
            ))
        #expect(KnownHosts.endpoint(ofSSHURL: "ssh://git.example.com/team/orders.git")! == ("git.example.com", 22))
        #expect(KnownHosts.endpoint(ofSSHURL: "git@github.com:team/orders.git")! == ("github.com", 22))
        #expect(KnownHosts.endpoint(ofSSHURL: "https://github.com/team/orders.git") == nil)
        #expect(KnownHosts.endpoint(ofSSHURL: "/srv/git/orders.git") == nil)
    }
}
