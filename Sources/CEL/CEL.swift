/// Namespace for the CEL module.
public enum CELModule {}
