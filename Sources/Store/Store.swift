/// Namespace for the Store module.
public enum StoreModule {}
