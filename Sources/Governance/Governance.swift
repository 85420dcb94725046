/// Namespace for the Governance module.
public enum GovernanceModule {}
