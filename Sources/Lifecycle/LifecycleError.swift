/// A lifecycle step refused or failed: what and why, ready to print.
public struct LifecycleError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
