import Governance

extension ReleaseFactsCollector {
    /// The plan digest an annotated approval tag records in its `Approved-Plan:` trailer; nil without one.
    /// Blocking.
    func planDigest(_ object: ObjectID) throws -> String? {
        let raw = try repository.rawObject(object)
        guard raw.kind == .tag else { return nil }
        let message = try TagObject(raw: raw.data).message
        let key = ReleaseGates.planTrailer.lowercased()
        return TrailerParser().parse(message).last { $0.key.lowercased() == key }?.value
    }
}
