import Foundation
import GitSource
import Governance
import TestSupport
import Testing

@Suite("SignatureVerifier")
struct SignatureVerifierTests {
    enum Scenario: String, CaseIterable {
        case valid, wrongKey, wrongNamespace, revoked, expired, tampered, notYetValid, principalPattern
    }

    /// One signer per key type, plus a stranger whose key is not listed.
    struct Keys {
        var signer: String
        var stranger: String
    }

    static func allowedLine(_ principal: String, _ options: String?, _ publicKey: String) -> String {
        [principal, options, publicKey].compactMap { $0 }.joined(separator: " ")
    }

    @Test("verdicts match ssh-keygen -Y verify over 72 generated cases and git verify-tag over 24")
    func differential() throws {
        let fixture = try GitFixture()
        var keys: [String: Keys] = [:]
        for type in ["ed25519", "ecdsa", "rsa"] {
            keys[type] = Keys(
                signer: try fixture.makeKey("signer-\(type)", type: type),
                stranger: try fixture.makeKey("stranger-\(type)", type: type))
        }
        var sshKeygenCases = 0
        var gitCases = 0
        var rng = SplitMix64(state: 42)
        for type in ["ed25519", "ecdsa", "rsa"] {
            let key = keys[type]!
            for scenario in Scenario.allCases {
                for round in 0..<3 {
                    let principal = "alice\(round)@bank.example"
                    let name = "\(type)-\(scenario.rawValue)-\(round)"
                    let message = "object \(String(repeating: "ab", count: 20))\nrandom \(rng.next())\n"
                    let messageFile = try fixture.write("msgs/\(name)", message)
                    let signingKey = scenario == .wrongKey ? key.stranger : key.signer
                    let namespace = "git"
                    try fixture.run("ssh-keygen", ["-q", "-Y", "sign", "-n", namespace, "-f", signingKey, messageFile])
                    let signature = try Data(contentsOf: URL(fileURLWithPath: messageFile + ".sig"))
                    var options: String?
                    var pattern = principal
                    switch scenario {
                    case .wrongNamespace: options = "namespaces=\"file\""
                    case .expired: options = "valid-before=\"20200101Z\""
                    case .notYetValid: options = "valid-after=\"29990101\""
                    case .principalPattern: pattern = "alice*@bank.example,!mallory@bank.example"
                    default: options = round == 1 ? "namespaces=\"git,file\"" : nil
                    }
                    let allowed = try fixture.write(
                        "allowed/\(name)", Self.allowedLine(pattern, options, try fixture.publicKey(key.signer)) + "\n")
                    let revokedFile = try fixture.write(
                        "revoked/\(name)", scenario == .revoked ? try fixture.publicKey(key.signer) + "\n" : "\n")
                    let verifiedMessage = scenario == .tampered ? message + "tampered\n" : message
                    let tamperedFile = try fixture.write("msgs/\(name).checked", verifiedMessage)
                    let verifier = SignatureVerifier(
                        allowedSigners: try AllowedSigners(contentsOf: allowed),
                        revoked: try RevocationList(contentsOf: revokedFile))
                    let ours = verifier.verify(signature: signature, payload: Data(verifiedMessage.utf8), at: Date())
                    let theirs = try fixture.run(
                        "ssh-keygen",
                        [
                            "-Y", "verify", "-f", allowed, "-I", principal, "-n", "git", "-s", messageFile + ".sig",
                            "-r", revokedFile,
                        ], input: try String(contentsOfFile: tamperedFile, encoding: .utf8), allowFailure: true)
                    #expect(
                        ours.valid == (theirs.status == 0),
                        "\(name): ours \(ours.reason); ssh-keygen \(theirs.stdout)\(theirs.stderr)")
                    #expect(ours.valid == [.valid, .principalPattern].contains(scenario), "\(name): \(ours.reason)")
                    if ours.valid {
                        #expect(
                            ours.fingerprint.map { theirs.stdout.contains($0) || theirs.stderr.contains($0) } ?? false)
                    }
                    sshKeygenCases += 1
                }
            }
        }
        // git verify-tag over real signed tags (git checks key validity at the tagger date; so do we here).
        let repo = try fixture.makeRepository("tags")
        for type in ["ed25519", "ecdsa", "rsa"] {
            let key = keys[type]!
            for scenario in [
                Scenario.valid, .wrongKey, .wrongNamespace, .revoked, .expired, .notYetValid, .principalPattern,
                .tampered,
            ] {
                let name = "\(type)-\(scenario.rawValue)"
                let signingKey = scenario == .wrongKey ? key.stranger : key.signer
                try fixture.tag(repo, name, key: signingKey)
                var options: String?
                switch scenario {
                case .wrongNamespace: options = "namespaces=\"file\""
                case .expired: options = "valid-before=\"20200101Z\""
                case .notYetValid: options = "valid-after=\"29990101\""
                default: options = nil
                }
                let allowed = try fixture.write(
                    "git-allowed/\(name)",
                    Self.allowedLine("rel@bank.example", options, try fixture.publicKey(key.signer)) + "\n")
                let revokedFile = try fixture.write(
                    "git-revoked/\(name)", scenario == .revoked ? try fixture.publicKey(key.signer) + "\n" : "\n")
                let repository = try Repository(openingAt: repo)
                var raw = try repository.rawObject(try repository.resolve("refs/tags/\(name)")).data
                if scenario == .tampered {
                    // Rewrite the tag object with a changed message and the old signature, as a forger would.
                    var text = String(decoding: raw, as: UTF8.self)
                    text = text.replacingOccurrences(of: "Release \(name)", with: "Release \(name) forged")
                    raw = Data(text.utf8)
                    let id = try fixture.run(
                        "git", ["-C", repo, "hash-object", "-t", "tag", "-w", "--stdin"], input: text
                    )
                    .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    try fixture.git(repo, "update-ref", "refs/tags/\(name)", id)
                }
                let tag = try TagObject(raw: raw)
                let taggerDate = Self.taggerDate(tag.tagger ?? "")
                let verifier = SignatureVerifier(
                    allowedSigners: try AllowedSigners(contentsOf: allowed),
                    revoked: try RevocationList(contentsOf: revokedFile))
                let ours = verifier.verify(signature: tag.signature, payload: tag.payload, at: taggerDate)
                let theirs = try fixture.run(
                    "git",
                    [
                        "-C", repo, "-c", "gpg.ssh.allowedSignersFile=\(allowed)", "-c",
                        "gpg.ssh.revocationFile=\(revokedFile)",
                        "verify-tag", name,
                    ], allowFailure: true)
                #expect(ours.valid == (theirs.status == 0), "\(name): ours \(ours.reason); git \(theirs.stderr)")
                gitCases += 1
            }
        }
        #expect(sshKeygenCases + gitCases >= 50)
    }

    static func taggerDate(_ line: String) -> Date {
        let parts = line.split(separator: " ")
        guard parts.count >= 2, let seconds = TimeInterval(parts[parts.count - 2]) else { return Date() }
        return Date(timeIntervalSince1970: seconds)
    }

    @Test("cert-authority lines are refused with the file, line and column")
    func certAuthority() throws {
        let text =
            "ca@bank.example cert-authority ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBh8cf2Cz5j1b1lXdtjz1k7cSBj3Xvt6vWzGQ8fqsy5t\n"
        #expect {
            try AllowedSigners(text: text, path: "allowed_signers")
        } throws: { error in
            "\(error)".hasPrefix("allowed_signers:1:17: cert-authority is not supported")
        }
    }

    @Test("a binary KRL is reported as unsupported")
    func krl() throws {
        let fixture = try GitFixture()
        let file = try fixture.write("krl", "SSHKRL\n\0\0\0\u{1}")
        #expect {
            try RevocationList(contentsOf: file)
        } throws: { error in
            "\(error)".contains("binary KRL revocation files are unsupported")
        }
    }

    @Test("an OpenPGP signature without a keyring is an unsupported format")
    func openPGPUnsupported() {
        let verifier = SignatureVerifier(allowedSigners: AllowedSigners(path: "x", entries: []))
        let verdict = verifier.verify(
            signature: Data("-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n".utf8),
            payload: Data("x".utf8), at: Date())
        #expect(verdict.signed && !verdict.valid && verdict.reason == "unsupported signature format")
    }
}
