import Foundation

/// The paging parameters of a list call and the opaque tokens it hands out.
///
/// A token is the last key of the previous page, base64-encoded with a marker so that a token from
/// another list or a made-up string is rejected rather than silently misread.
struct PageRequest {
    /// The page size; nil lists everything.
    var limit: Int?
    /// The key after which this page starts.
    var after: String?

    /// Reads `sizeParameter` and `page_token` from `query`. A size of 0 means the server default.
    init(
        query: [String: String], sizeParameter: String = "max_results", defaultSize: Int = 100,
        maximum: Int = 1000, unboundedWhenAbsent: Bool = true
    ) throws(APIError) {
        if let raw = query[sizeParameter], !raw.isEmpty {
            guard let size = Int(raw) else { throw .invalid("\(sizeParameter) must be an integer, got '\(raw)'") }
            guard size >= 0 else { throw .invalid("\(sizeParameter) must be greater than or equal to 0") }
            limit = size == 0 ? defaultSize : min(size, maximum)
        } else {
            limit = unboundedWhenAbsent ? nil : defaultSize
        }
        if let token = query["page_token"], !token.isEmpty {
            after = try Self.decode(token)
        }
    }

    static func encode(_ key: String) -> String {
        Data("lg1:\(key)".utf8).base64EncodedString()
    }

    static func decode(_ token: String) throws(APIError) -> String {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("lg1:")
        else { throw .invalid("Invalid page_token: '\(token)'") }
        return String(text.dropFirst(4))
    }

    /// Takes one page of the keys of `map` starting with `prefix`, reading at most one key past the page.
    func page<Value>(_ map: SortedMap<Value>, prefix: String = "") -> (page: [String], next: String?) {
        page(map.keys(withPrefix: prefix, after: after, limit: limit.map { $0 + 1 }))
    }

    /// Takes one page from ordered `keys`; returns the page and the token for the next one, if any.
    func page(_ keys: some Collection<String>) -> (page: [String], next: String?) {
        guard let limit else { return (Array(keys), nil) }
        let page = Array(keys.prefix(limit))
        if keys.count > limit, let last = page.last { return (page, Self.encode(last)) }
        return (page, nil)
    }
}
