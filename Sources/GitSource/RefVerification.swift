import Foundation

/// The verdict on one ref's signature, in the shape `lakegate git verify --output json` prints.
public struct RefVerification: Sendable, Equatable, Codable {
    public var ref: String
    public var object: String
    /// `tag` (annotated tag object) or `commit`.
    public var type: String
    public var signed: Bool
    public var valid: Bool
    public var principal: String?
    public var keyType: String?
    public var fingerprint: String?
    public var reason: String

    /// Verifies what `ref` names: an annotated tag's own signature, otherwise the commit's.
    ///
    /// Tags are checked at the time they were first seen (recorded in `store` now when new); commits at `now`.
    public static func verify(
        ref: String, in repository: Repository, verifier: SignatureVerifier, store: (any TagObservationStore)?,
        repositoryKey: String, now: Date = Date()
    ) throws -> RefVerification {
        let tagRef = ref.hasPrefix("refs/") ? ref : "refs/tags/\(ref)"
        let object = try repository.reference(tagRef) ?? repository.resolve(ref)
        let raw = try repository.rawObject(object)
        let verdict: SignatureVerdict
        let type: String
        var id = object
        if raw.kind == .tag {
            type = "tag"
            let tag = try TagObject(raw: raw.data)
            var seen = now
            if let store, try repository.reference(tagRef) != nil {
                _ = try store.record(repository: repositoryKey, tags: [tagRef: object], at: now)
                seen = try store.firstSeen(repository: repositoryKey, tag: tagRef, object: object) ?? now
            }
            var result = verifier.verify(signature: tag.signature, payload: tag.payload, at: seen)
            if result.valid, tagRef.hasPrefix("refs/tags/"), tag.name != String(tagRef.dropFirst(10)) {
                result.valid = false
                result.reason = "the tag object is named \(tag.name) but is found under \(tagRef.dropFirst(10))"
            }
            verdict = result
        } else {
            type = "commit"
            id = try repository.peelToCommit(object)
            if let signed = try repository.commitSignature(id) {
                verdict = verifier.verify(signature: signed.signature, payload: signed.payload, at: now)
            } else {
                verdict = .unsigned
            }
        }
        return RefVerification(
            ref: ref, object: id.hex, type: type, signed: verdict.signed, valid: verdict.valid,
            principal: verdict.principal, keyType: verdict.keyType, fingerprint: verdict.fingerprint,
            reason: verdict.reason)
    }
}
