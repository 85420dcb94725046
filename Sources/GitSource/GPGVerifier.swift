import Foundation
import Governance

/// Verifies an OpenPGP signature with the `gpg` program against its own keyring directory.
struct GPGVerifier {
    var home: String

    func verify(signature: Data, payload: Data) -> SignatureVerdict {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "lakegate-gpg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var verdict = SignatureVerdict(signed: true, valid: false, keyType: "OpenPGP", reason: "")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let signatureFile = directory.appendingPathComponent("sig.asc")
            let payloadFile = directory.appendingPathComponent("payload")
            try signature.write(to: signatureFile)
            try payload.write(to: payloadFile)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "gpg", "--homedir", home, "--batch", "--no-tty", "--status-fd", "1", "--verify", signatureFile.path,
                payloadFile.path,
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard fields.count >= 2, fields[0] == "[GNUPG:]" else { continue }
                switch fields[1] {
                case "GOODSIG" where fields.count >= 4: verdict.principal = fields[3]
                case "VALIDSIG" where fields.count >= 3: verdict.fingerprint = fields[2]
                case "EXPKEYSIG": verdict.reason = "OpenPGP key expired"
                case "REVKEYSIG": verdict.reason = "OpenPGP key revoked"
                case "BADSIG": verdict.reason = "bad signature: the signed content does not match"
                case "NO_PUBKEY": verdict.reason = "key is not in the OpenPGP keyring \(home)"
                default: break
                }
            }
            if verdict.reason.isEmpty, verdict.fingerprint != nil, process.terminationStatus == 0 {
                verdict.valid = true
                verdict.reason = "good OpenPGP signature by \(verdict.principal ?? "unknown")"
            } else if verdict.reason.isEmpty {
                verdict.reason = "OpenPGP signature could not be verified"
            }
        } catch {
            verdict.reason = "cannot run gpg: \(error)"
        }
        return verdict
    }
}
