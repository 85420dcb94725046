import Foundation
import Synchronization

/// `matches`: RE2-style patterns run with NSRegularExpression (ICU), compiled once per pattern.
enum CELRegex {
    private static let cache = Mutex<[String: NSRegularExpression]>([:])

    static func matches(_ text: String, pattern: String) throws(CELError) -> Bool {
        if pattern.isEmpty { return true }
        let regex: NSRegularExpression
        if let cached = cache.withLock({ $0[pattern] }) {
            regex = cached
        } else {
            do {
                regex = try NSRegularExpression(pattern: pattern)
            } catch {
                throw CELError("invalid regular expression '\(pattern)'")
            }
            cache.withLock {
                if $0.count > 1000 { $0.removeAll() }
                $0[pattern] = regex
            }
        }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }
}
