import Foundation

/// How output may be decorated: colours only on a terminal, never with `NO_COLOR` set (https://no-color.org)
/// or `TERM=dumb`.
enum Terminal {
    /// Whether to colour what is written to `descriptor`.
    static func colors(
        for descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(descriptor) == 1
    }
}
