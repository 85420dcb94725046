/// Namespace for the Reconciler module.
public enum ReconcilerModule {}
