/// Namespace for the GitSource module.
public enum GitSourceModule {}
