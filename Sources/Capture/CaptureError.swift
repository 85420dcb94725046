/// Why a capture could not be computed or written.
public struct CaptureError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
