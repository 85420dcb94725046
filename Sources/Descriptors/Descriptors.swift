/// Namespace for the Descriptors module.
public enum DescriptorsModule {}
