import Foundation

/// Where a secret's value comes from: the configuration itself, or a file that is read again before every use,
/// so a rotated secret (a Kubernetes Secret mounted as a volume, a renewed service account token) takes effect
/// without a restart.
public enum SecretSource: Sendable, Equatable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The value itself.
    case value(String)
    /// A file holding the value; surrounding white space is ignored.
    case file(String)

    public init(stringLiteral value: String) { self = .value(value) }

    /// Never the value: `file /path` or `value`.
    public var description: String {
        switch self {
        case .value: "value"
        case .file(let path): "file \(path)"
        }
    }
}
