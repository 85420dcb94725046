/// Namespace for the EmulatorKit module.
public enum EmulatorKitModule {}
