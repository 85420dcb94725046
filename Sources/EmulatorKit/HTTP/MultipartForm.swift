import Foundation

/// A parsed `multipart/form-data` body: text fields and file parts by name.
struct MultipartForm {
    var fields: [String: Data] = [:]

    /// Parses `body` with the boundary from `contentType`; nil when it is not multipart.
    init?(contentType: String, body: Data) {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        guard let range = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[range.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let delimiter = Data("--\(boundary)".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var parts: [Data] = []
        var searchStart = body.startIndex
        var previous: Int?
        while let found = body.range(of: delimiter, in: searchStart..<body.endIndex) {
            if let previous { parts.append(body[previous..<found.lowerBound]) }
            previous = found.upperBound
            searchStart = found.upperBound
        }
        for var part in parts {
            if part.starts(with: Data("\r\n".utf8)) { part = part.dropFirst(2) }
            if part.hasSuffix("\r\n") { part = part.dropLast(2) }
            guard let split = part.range(of: headerEnd) else { continue }
            let headers = String(decoding: part[part.startIndex..<split.lowerBound], as: UTF8.self)
            guard let nameRange = headers.range(of: "name=\"") else { continue }
            let rest = headers[nameRange.upperBound...]
            guard let quote = rest.firstIndex(of: "\"") else { continue }
            fields[String(rest[..<quote])] = Data(part[split.upperBound...])
        }
    }

    func text(_ name: String) -> String? { fields[name].map { String(decoding: $0, as: UTF8.self) } }
}

extension Data {
    fileprivate func hasSuffix(_ text: String) -> Bool { self.suffix(text.utf8.count).elementsEqual(text.utf8) }
}
