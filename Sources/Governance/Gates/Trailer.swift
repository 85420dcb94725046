/// One `key: value` trailer of a commit or tag message.
public struct Trailer: Sendable, Equatable, Codable {
    public var key: String
    /// The value, with continuation lines unfolded into single spaces.
    public var value: String
}
