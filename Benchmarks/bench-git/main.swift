// bench-git: change-detection polls and native signature verification against the git CLI.
//
//   swift build -c release --product bench-git --scratch-path .build-release
//   .build-release/release/bench-git [--repos 200] [--tags 1000] [--git-sample 100]
import Foundation
import GitSource
import Governance
import Store

struct Options {
    var repos = 200
    var tags = 1000
    var gitSample = 100

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--repos": repos = Int(iterator.next() ?? "") ?? repos
            case "--tags": tags = Int(iterator.next() ?? "") ?? tags
            case "--git-sample": gitSample = Int(iterator.next() ?? "") ?? gitSample
            case "--help", "-h":
                print("usage: bench-git [--repos N] [--tags N] [--git-sample N]")
                exit(0)
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
    }
}

let options = Options(CommandLine.arguments)
let root = FileManager.default.temporaryDirectory.appendingPathComponent("bench-git-\(UUID().uuidString)").path
try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: root) }

let environment: [String: String] = [
    "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": root, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
]

@discardableResult
func run(_ arguments: [String], input: String? = nil) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let stdin = Pipe()
    process.standardInput = stdin
    do { try process.run() } catch {
        fatalError("cannot run \(arguments[0]): \(error)")
    }
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try? stdin.fileHandleForWriting.close()
    process.waitUntilExit()
    return process.terminationStatus
}

func seconds(_ work: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try work()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

// MARK: Poll over local repositories with no change

print(
    "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, "
        + "\(ProcessInfo.processInfo.physicalMemory >> 30) GiB")
print("setting up \(options.repos) repositories…")
var repos: [String] = []
for index in 0..<options.repos {
    let repo = "\(root)/repos/r\(index)"
    run(["git", "init", "-q", "-b", "main", repo])
    run(["git", "-C", repo, "commit", "-q", "--allow-empty", "-m", "init"])
    run(["git", "-C", repo, "tag", "-a", "-m", "release", "v1.0.\(index)"])
    repos.append(repo)
}
let state = "\(root)/state"
let store = StoreTagObservations(store: try StateStore(stateDirectory: state))
let mirrors = repos.map { GitMirror(url: $0, stateDirectory: state) }
for mirror in mirrors { _ = try mirror.pollBlocking(store: store) }

var unchanged = 0
let inProcess = try seconds {
    for mirror in mirrors where try !mirror.pollBlocking(store: store).changed { unchanged += 1 }
}
precondition(unchanged == options.repos, "a poll saw a change where there was none")
let cli = seconds {
    for repo in repos { precondition(run(["git", "ls-remote", repo]) == 0) }
}
print(
    String(
        format:
            "poll, %d repos, no change: in-process %.3f s (%.2f ms/repo), git ls-remote %.3f s (%.2f ms/repo): %.1fx",
        options.repos, inProcess, inProcess * 1000 / Double(options.repos), cli, cli * 1000 / Double(options.repos),
        cli / inProcess))

// MARK: Verify SSH-signed tags

print("signing \(options.tags) tags…")
let key = "\(root)/signer"
run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rel", "-f", key])
let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
    .joined(separator: " ")
let allowedPath = "\(root)/allowed_signers"
try Data("rel@bank.example namespaces=\"git\" \(publicKey)\n".utf8).write(to: URL(fileURLWithPath: allowedPath))
let tagRepo = "\(root)/tags"
run(["git", "init", "-q", "-b", "main", tagRepo])
run(["git", "-C", tagRepo, "commit", "-q", "--allow-empty", "-m", "init"])
for index in 0..<options.tags {
    run([
        "git", "-C", tagRepo, "-c", "gpg.format=ssh", "-c", "user.signingkey=\(key)", "tag", "-s", "-m",
        "release \(index)",
        "v\(index).0.0",
    ])
}
let repository = try Repository(openingAt: tagRepo)
let verifier = SignatureVerifier(allowedSigners: try AllowedSigners(contentsOf: allowedPath))
var valid = 0
let native = try seconds {
    for index in 0..<options.tags {
        let raw = try repository.rawObject(try repository.resolve("refs/tags/v\(index).0.0"))
        let tag = try TagObject(raw: raw.data)
        if verifier.verify(signature: tag.signature, payload: tag.payload, at: Date()).valid { valid += 1 }
    }
}
precondition(valid == options.tags, "only \(valid) of \(options.tags) tags verified")
let sample = min(options.gitSample, options.tags)
let gitTime = seconds {
    for index in 0..<sample {
        let status = run([
            "git", "-C", tagRepo, "-c", "gpg.ssh.allowedSignersFile=\(allowedPath)", "verify-tag", "v\(index).0.0",
        ])
        precondition(status == 0)
    }
}
let extrapolated = gitTime / Double(sample) * Double(options.tags)
print(
    String(
        format:
            "verify %d SSH-signed tags: native %.3f s (%.3f ms/tag); git verify-tag %.3f s for %d tags (%.2f ms/tag), "
            + "extrapolated to %d: %.1f s: %.1fx",
        options.tags, native, native * 1000 / Double(options.tags), gitTime, sample, gitTime * 1000 / Double(sample),
        options.tags, extrapolated, extrapolated / native))
