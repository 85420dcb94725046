import Governance
import OperatorConfig

extension GateRules {
    /// The gates an environment of `lakegate.yaml` sets: how serve, gates, release and approve all read them.
    public init(_ environment: OperatorConfig.Environment) {
        self.init(
            requiredTrailers: environment.gates.requiredTrailers.map {
                .init(key: $0.key, pattern: $0.pattern, scope: $0.scope)
            },
            requireSignedRelease: environment.gates.requireSignedRelease, quorum: environment.gates.quorum,
            fourEyes: environment.gates.fourEyes,
            blockingSeverity: PolicySeverity(rawValue: environment.gates.blockingSeverity.rawValue) ?? .error,
            requires: environment.requires)
    }
}
