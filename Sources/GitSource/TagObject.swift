import Foundation

/// An annotated tag object parsed from its raw bytes, with its signature split off.
public struct TagObject: Sendable, Equatable {
    /// The object the tag points at.
    public var object: ObjectID
    /// The type of that object (`commit`, or `tag` for an approval of a release tag).
    public var type: String
    /// The tag name embedded in the object (may differ from the ref name it is found under).
    public var name: String
    /// The raw tagger line (unauthenticated: never used as an identity).
    public var tagger: String?
    /// The message without the signature.
    public var message: String
    /// The armoured signature block, if any.
    public var signature: Data?
    /// The bytes the signature covers (the object up to the signature).
    public var payload: Data

    /// Parses a raw tag object. Throws ``SignatureError/malformed(_:)`` when a header is missing.
    public init(raw: Data) throws {
        let bytes = [UInt8](raw)
        let split = SignatureBlock.start(in: bytes)
        payload = Data(bytes[..<split])
        signature = split < bytes.count ? Data(bytes[split...]) : nil
        let text = String(decoding: bytes[..<split], as: UTF8.self)
        var headers: [String: String] = [:]
        var rest = Substring(text)
        while let newline = rest.firstIndex(of: "\n") {
            let line = rest[..<newline]
            rest = rest[rest.index(after: newline)...]
            if line.isEmpty { break }
            if let space = line.firstIndex(of: " ") {
                let key = String(line[..<space])
                if headers[key] == nil { headers[key] = String(line[line.index(after: space)...]) }
            }
        }
        guard let objectText = headers["object"], let object = ObjectID(hex: objectText) else {
            throw SignatureError.malformed("tag object has no valid 'object' header")
        }
        guard let type = headers["type"], let name = headers["tag"] else {
            throw SignatureError.malformed("tag object lacks a 'type' or 'tag' header")
        }
        self.object = object
        self.type = type
        self.name = name
        self.tagger = headers["tagger"]
        self.message = String(rest)
    }
}

/// Where a signature block starts in a signed buffer (git's rule: the last line that opens a known block).
enum SignatureBlock {
    static let markers: [String] = [
        "-----BEGIN PGP SIGNATURE-----", "-----BEGIN PGP MESSAGE-----", "-----BEGIN SIGNED MESSAGE-----",
        "-----BEGIN SSH SIGNATURE-----",
    ]

    static func start(in bytes: [UInt8]) -> Int {
        var match = bytes.count
        var lineStart = 0
        let markerBytes = markers.map { Array($0.utf8) }
        while lineStart < bytes.count {
            for marker in markerBytes
            where bytes.count - lineStart >= marker.count
                && bytes[lineStart..<lineStart + marker.count].elementsEqual(marker)
            {
                match = lineStart
            }
            if let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                lineStart = newline + 1
            } else {
                break
            }
        }
        return match
    }
}
