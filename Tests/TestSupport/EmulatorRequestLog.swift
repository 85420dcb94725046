import Foundation
import LakegateCore

/// Reading the emulator's request log (`GET /_emulator/requests`).
public enum EmulatorRequestLog {
    /// Requests that change the workspace: every non-GET call except read-only SQL and token requests.
    public static func writes(_ requests: some Sequence<JSONValue>) -> [JSONValue] {
        requests.filter { request in
            let method = request["method"]?.stringValue ?? "GET"
            let path = request["path"]?.stringValue ?? ""
            guard method != "GET", method != "HEAD", !path.hasPrefix("/oidc/") else { return false }
            if let statement = request["statement"]?.stringValue {
                let verb = statement.trimmingCharacters(in: .whitespaces).prefix(8).uppercased()
                return !(verb.hasPrefix("SELECT") || verb.hasPrefix("SHOW") || verb.hasPrefix("DESCRIBE"))
            }
            return !(method == "POST" && path.hasPrefix("/api/2.0/sql/statements/"))
        }
    }
}
