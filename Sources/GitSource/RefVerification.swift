import Foundation
import Governance

/// The verdict on one ref's signature, in the shape `lakegate git verify --output json` prints: the ref, object
/// and type, and the verdict's fields beside them (one flat object).
public struct RefVerification: Sendable, Equatable {
    public var ref: String
    public var object: String
    /// `tag` (annotated tag object) or `commit`.
    public var type: String
    public var verdict: SignatureVerdict

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
        return RefVerification(ref: ref, object: id.hex, type: type, verdict: verdict)
    }
}

/// One flat JSON object: the verdict's fields beside `ref`, `object` and `type`.
extension RefVerification: Codable {
    private enum CodingKeys: String, CodingKey {
        case ref, object, type
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ref = try container.decode(String.self, forKey: .ref)
        object = try container.decode(String.self, forKey: .object)
        type = try container.decode(String.self, forKey: .type)
        verdict = try SignatureVerdict(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ref, forKey: .ref)
        try container.encode(object, forKey: .object)
        try container.encode(type, forKey: .type)
        try verdict.encode(to: encoder)
    }
}
