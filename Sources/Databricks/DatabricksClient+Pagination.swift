import Foundation
import LakegateCore

extension DatabricksClient {
    /// Every item of a paged list: follows `next_page_token` until it is absent or empty; empty pages that
    /// carry a token are followed too.
    ///
    /// - Parameters:
    ///   - itemsKey: the member holding the page's items (`catalogs`, `tables`, `privilege_assignments`).
    ///   - tokenParameter: the query parameter taking the token (`page_token`).
    public func paginate(
        _ path: String, query: [(String, String?)] = [], itemsKey: String, tokenParameter: String = "page_token"
    ) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var token: String? = nil
        var seen: Set<String> = []
        repeat {
            var pageQuery = query
            if let token { pageQuery.append((tokenParameter, token)) }
            let page = try await call("GET", path, query: pageQuery)
            items += page[itemsKey]?.arrayValue ?? []
            token = page["next_page_token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if let token, !seen.insert(token).inserted {
                throw DatabricksError(
                    kind: .invalidResponse, message: "page token \(token) repeated; the listing would never end",
                    method: "GET", path: path, status: 200)
            }
        } while token != nil
        return items
    }
}
