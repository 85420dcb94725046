import Foundation
import LakegateCore

/// One API call after routing: what the handlers need from the request.
struct Call {
    var method: String
    /// Path segments after the API prefix (for UC: after `unity-catalog/<collection>`).
    var rest: [String]
    var query: [String: String]
    var body: JSONObject
    var request: EmulatorRequest
    var principal: String
    var now: Int64

    func string(_ key: String) -> String? { body[key]?.stringValue }

    func required(_ key: String) throws(APIError) -> String {
        guard let value = body[key]?.stringValue, !value.isEmpty else { throw .missing(key) }
        return value
    }

    func flag(_ key: String) -> Bool { query[key]?.lowercased() == "true" }

    func requiredQuery(_ key: String) throws(APIError) -> String {
        guard let value = query[key], !value.isEmpty else { throw .missing(key) }
        return value
    }
}

extension JSONObject {
    /// Copies the string-valued `keys` present in `source`.
    mutating func copy(_ keys: [String], from source: JSONObject) {
        for key in keys { if let value = source[key], !value.isNull { self[key] = value } }
    }

    /// Records who changed the object and when: `updated_at` and `updated_by` of `call`.
    mutating func stamp(_ call: Call) {
        self["updated_at"] = .int(call.now)
        self["updated_by"] = .string(call.principal)
    }
}
