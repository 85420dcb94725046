import ArgumentParser
import AuditTrail
import Foundation

/// `--who`, `--sign`, `--sign-key`, `--allowed-signers`: who a hold or unhold is recorded as.
struct HoldSigningOptions: ParsableArguments {
    @Option(help: "A note naming who asked for it; recorded as a note, not as the actor (the OS user is).")
    var who: String?
    @Flag(help: "Sign the hold with your SSH key; it is refused unless the allowed signers accept the signature.")
    var sign = false
    @Option(help: "The SSH key to sign with (a private key file, or key::<public key> for ssh-agent).")
    var signKey: String?
    @Option(help: "The allowed signers file the signature is checked against.") var allowedSigners: String?

    /// The actor recorded: the OS user, plus the verified signer with `--sign`.
    func actor(action: String, target: String, product: String?, reason: String, at time: Date) throws -> String {
        let user = HoldAttestation.operatingSystemUser
        guard sign else { return user }
        guard let signKey, let allowedSigners else {
            throw ValidationError("--sign needs --sign-key and --allowed-signers")
        }
        let attestation = HoldAttestation(
            action: action, target: target, product: product, reason: reason, user: user, time: time)
        let signer = try attestation.signAndCheck(key: signKey, allowedSigners: allowedSigners)
        return "\(user), signed by \(signer)"
    }

    /// `reason`, with the `--who` note appended.
    func noted(_ reason: String) -> String {
        who.map { "\(reason) (note: on behalf of \($0))" } ?? reason
    }
}
