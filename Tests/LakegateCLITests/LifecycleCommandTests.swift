import Foundation
import TestSupport
import Testing

/// `lakegate init`, `release` and `approve`, run as the real binary against real git repositories and ssh keys.
@Suite("lakegate init, release and approve")
struct LifecycleCommandTests {
    static let lakegate = Paths.executable("lakegate").path
    static let policies = Paths.example("policies").path

    /// A temporary HOME with a git identity, and helpers to run commands in it.
    struct Sandbox {
        let directory: TemporaryDirectory
        let environment: [String: String]

        init(identity: Bool = true) throws {
            directory = try TemporaryDirectory(prefix: "lakegate-lifecycle-cli")
            let home = directory.url.appendingPathComponent("home")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            environment = [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home.path,
                "GIT_CONFIG_NOSYSTEM": "1", "TZ": "UTC", "LC_ALL": "C",
            ]
            if identity {
                try run("git", ["config", "--global", "user.name", "Data Team"])
                try run("git", ["config", "--global", "user.email", "team@bank.example"])
            }
        }

        func path(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

        @discardableResult
        func run(_ program: String, _ arguments: [String], in cwd: String? = nil) throws -> ProcessResult {
            try ProcessRunner.run(
                program, arguments, cwd: cwd.map { URL(fileURLWithPath: $0) }, environment: environment)
        }

        func lakegate(_ arguments: [String], in cwd: String? = nil) throws -> ProcessResult {
            try run(LifecycleCommandTests.lakegate, arguments, in: cwd)
        }

        func key(_ name: String) throws -> String {
            let key = path("keys/\(name)")
            try FileManager.default.createDirectory(atPath: path("keys"), withIntermediateDirectories: true)
            try run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key])
            return key
        }

        func initProduct(_ blueprint: String, _ directory: String) throws -> ProcessResult {
            try lakegate([
                "init", "--blueprint", Paths.example("blueprints/\(blueprint)").path, path(directory), "--set",
                "product_id=sales-leads", "--set", "domain=sales", "--set", "owner=owner@bank.example",
            ])
        }
    }

    @Test(arguments: ["sql-output-port", "pipeline"])
    func initGivesAProductThatValidatesAndPassesThePolicySets(blueprint: String) throws {
        let sandbox = try Sandbox()
        defer { sandbox.directory.remove() }
        let created = try sandbox.initProduct(blueprint, "product")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created sales-leads"))
        let product = sandbox.path("product")
        let validate = try sandbox.lakegate(["validate", product])
        #expect(validate.status == 0, "\(validate.stderr)")
        for target in ["dev", "qa", "prod"] {
            let check = try sandbox.lakegate([
                "policy", "check", "--target", target, "--policies", Self.policies, product,
            ])
            #expect(check.status == 0, "\(target): \(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("target \(target): PASSED"))
        }
        let log = try sandbox.run("git", ["-C", product, "log", "--format=%an|%s"])
        #expect(log.stdout == "Data Team|Create sales-leads from blueprint \(blueprint)\n")
    }

    @Test func initWithoutATerminalNamesTheMissingParameterAndWritesNothing() throws {
        let sandbox = try Sandbox()
        defer { sandbox.directory.remove() }
        let run = try sandbox.lakegate(
            [
                "init", "--blueprint", "sql-output-port", sandbox.path("product"), "--set", "product_id=sales-leads",
            ], in: Paths.packageRoot.path)
        #expect(run.status == 1)
        #expect(run.stderr.contains("missing parameter 'domain'"), "\(run.stderr)")
        #expect(run.stderr.contains("missing parameter 'owner'"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("product")))
        let unknown = try sandbox.lakegate(["init", "--blueprint", "no-such-blueprint", sandbox.path("x")])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no blueprint 'no-such-blueprint'"))
    }

    /// Runs `command` on a pseudo-terminal (util-linux `script`), typing `input`.
    static func onTerminal(_ sandbox: Sandbox, _ command: String, input: String) throws -> ProcessResult {
        try ProcessRunner.run(
            "script", ["-q", "-e", "-c", command, "/dev/null"], environment: sandbox.environment, input: input)
    }

    @Test func initAsksOnATerminalUntilAValueIsValid() throws {
        let sandbox = try Sandbox()
        defer { sandbox.directory.remove() }
        let blueprint = Paths.example("blueprints/sql-output-port").path
        let answers = "Bad Id\ntty-product\nsales\nme@bank.example\n" + String(repeating: "\n", count: 11)
        let run = try Self.onTerminal(
            sandbox, "\(Self.lakegate) init --blueprint \(blueprint) \(sandbox.path("p"))", input: answers)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("'Bad Id' does not match"))
        #expect(
            run.stdout.contains("Catalog name prefix (the catalogs are <prefix>_dev, _qa and _prod) [tty_product]: "))
        #expect(run.stdout.contains("created tty-product"))
        #expect(FileManager.default.fileExists(atPath: sandbox.path("p/contracts/tty_product.odcs.yaml")))
    }

    @Test func initWithoutAGitIdentityFailsClearlyAndLeavesNoDirectory() throws {
        let sandbox = try Sandbox(identity: false)
        defer { sandbox.directory.remove() }
        let run = try sandbox.initProduct("pipeline", "product")
        #expect(run.status == 1)
        #expect(run.stderr.contains("no git identity"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("product")))
    }

    @Test func releaseRefusesABlockingPolicyAndADirtyTree() throws {
        let sandbox = try Sandbox()
        defer { sandbox.directory.remove() }
        _ = try sandbox.initProduct("sql-output-port", "product")
        let product = sandbox.path("product")
        let url = URL(fileURLWithPath: product + "/dataproduct.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        try text.replacingOccurrences(
            of: "  dora:\n    criticality: important\n", with: "  dora:\n    criticality: critical\n"
        )
        .replacingOccurrences(of: "rtoMinutes: 240", with: "rtoMinutes: 600")
        .write(to: url, atomically: true, encoding: .utf8)
        let dirty = try sandbox.lakegate(["release", "v0.1.0", "--policies", Self.policies], in: product)
        #expect(dirty.status == 1)
        #expect(dirty.stderr.contains("uncommitted changes"))
        #expect(dirty.stderr.contains("dataproduct.yaml"))
        try sandbox.run("git", ["-C", product, "commit", "-qam", "Critical, with a long RTO"])
        let blocked = try sandbox.lakegate(["release", "v0.1.0", "--policies", Self.policies], in: product)
        #expect(blocked.status == 3, "\(blocked.stdout)\(blocked.stderr)")
        #expect(blocked.stdout.contains("regulation.dora-resilience"))
        #expect(blocked.stderr.contains("refused"))
        #expect(try sandbox.run("git", ["-C", product, "tag", "-l"]).stdout.isEmpty)
    }

    @Test func releaseSignsWithGitConfigAndApproveMakesATagTheGatesAndGitAccept() throws {
        let sandbox = try Sandbox()
        defer { sandbox.directory.remove() }
        _ = try sandbox.initProduct("sql-output-port", "product")
        let product = sandbox.path("product")
        let origin = sandbox.path("origin.git")
        try sandbox.run("git", ["init", "-q", "--bare", origin])
        try sandbox.run("git", ["-C", product, "remote", "add", "origin", origin])
        try sandbox.run("git", ["-C", product, "push", "-q", "origin", "main"])
        let manager = try sandbox.key("release-manager")
        let alice = try sandbox.key("alice")
        var signers = ""
        for (who, key) in [("release-manager", manager), ("alice", alice)] {
            let line = try String(contentsOfFile: key + ".pub", encoding: .utf8)
            signers += "\(who)@bank.example \(line.split(separator: " ").prefix(2).joined(separator: " "))\n"
        }
        let allowed = sandbox.path("keys/allowed_signers")
        try Data(signers.utf8).write(to: URL(fileURLWithPath: allowed))
        try sandbox.run("git", ["config", "--global", "gpg.format", "ssh"])
        try sandbox.run("git", ["config", "--global", "user.signingkey", manager + ".pub"])
        try sandbox.run("git", ["config", "--global", "gpg.ssh.allowedSignersFile", allowed])

        let release = try sandbox.lakegate(
            [
                "release", "v0.1.0", "--sign", "--push", "--policies", Self.policies, "-m", "First release",
                "--message", "Second paragraph.\n",
            ], in: product)
        #expect(release.status == 0, "\(release.stdout)\(release.stderr)")
        // Repeated -m/--message are paragraphs, as for git tag -m A -m B.
        let releaseText = try sandbox.run("git", ["-C", product, "tag", "-l", "--format=%(contents:body)", "v0.1.0"])
        #expect(releaseText.stdout.contains("First release\n\nSecond paragraph.\n\n"), "\(releaseText.stdout)")
        #expect(release.stdout.contains("released v0.1.0: signed tag"))
        #expect(release.stdout.contains("Lakegate-State-prod: sha256:"))
        #expect(try sandbox.run("git", ["-C", origin, "verify-tag", "v0.1.0"]).status == 0)

        // On a terminal, approve asks first; anything but yes creates nothing.
        let declined = try Self.onTerminal(
            sandbox,
            "cd \(product) && \(Self.lakegate) approve v0.1.0 --target prod --key \(alice) --allowed-signers \(allowed) "
                + "--policies \(Self.policies) --state-dir \(sandbox.path("state"))", input: "n\n")
        #expect(declined.status == 1, "\(declined.stdout)")
        #expect(declined.stdout.contains("Approve v0.1.0 for prod? [y/N]"))
        #expect(declined.stdout.contains("not approved"))
        #expect(try sandbox.run("git", ["-C", product, "tag", "-l", "approval/*"]).stdout.isEmpty)

        let approve = try sandbox.lakegate(
            [
                "approve", "v0.1.0", "--target", "prod", "--key", alice, "--allowed-signers", allowed, "--policies",
                Self.policies, "--push", "--state-dir", sandbox.path("state"), "-m", "Reviewed.", "-m", "Go.",
            ], in: product)
        #expect(approve.status == 0, "\(approve.stdout)\(approve.stderr)")
        #expect(approve.stdout.contains("Approving v0.1.0 for prod"))
        #expect(approve.stdout.contains("state prod"))
        #expect(approve.stdout.contains("(matches the release)"))
        #expect(approve.stdout.contains("plan          not available"))
        #expect(approve.stdout.contains("approved: signed tag approval/prod/v0.1.0/alice@bank.example"))
        let tag = "approval/prod/v0.1.0/alice@bank.example"
        let verify = try sandbox.run("git", ["-C", origin, "verify-tag", tag])
        #expect(verify.status == 0, "\(verify.stderr)")
        let approvalText = try sandbox.run("git", ["-C", product, "tag", "-l", "--format=%(contents:body)", tag])
        #expect(approvalText.stdout.contains("Reviewed.\n\nGo.\n\n"), "\(approvalText.stdout)")
        let config = sandbox.path("lakegate.yaml")
        try Data(
            """
            stateDir: \(sandbox.path("gates-state"))
            environments:
              prod:
                workspace: {host: "http://127.0.0.1:9", credentials: {tokenEnv: NO_TOKEN}}
                follows: approvals
                gates: {policySet: none, allowedSigners: \(allowed), quorum: 1}
            products:
              - {name: product, repo: \(origin)}
            """.utf8
        ).write(to: URL(fileURLWithPath: config))
        let gates = try sandbox.lakegate([
            "gates", "--config", config, "--product", "product", "--target", "prod", "--ref", "v0.1.0",
        ])
        #expect(gates.status == 0, "\(gates.stdout)\(gates.stderr)")
        #expect(gates.stdout.contains("approval \(tag): valid"))
    }
}
