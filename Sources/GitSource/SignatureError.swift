/// Why a signature, key or signer list could not be read.
public enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The signature or object is not in the expected format.
    case malformed(String)
    /// A file (allowed signers, revocation list) has a bad line: `path:line:column: message`.
    case badLine(path: String, line: Int, column: Int, message: String)
    /// The signature format is not one Lakegate verifies here.
    case unsupported(String)

    public var description: String {
        switch self {
        case .malformed(let message): "malformed signature: \(message)"
        case .badLine(let path, let line, let column, let message): "\(path):\(line):\(column): \(message)"
        case .unsupported(let message): message
        }
    }
}
