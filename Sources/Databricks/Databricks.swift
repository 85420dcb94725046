/// Namespace for the Databricks module.
public enum DatabricksModule {}
