/// The version printed by `lakegate --version` and sent in the User-Agent.
public enum LakegateVersion {
    public static let string = "0.1.0"
}
