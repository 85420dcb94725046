import Foundation

/// Workspace configuration that cannot be used: a malformed profile file, a missing profile, no credentials,
/// or more than one authorization method.
public struct DatabricksConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in the words the Databricks SDKs use where they have them.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
