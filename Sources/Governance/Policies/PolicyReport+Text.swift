extension PolicyReport {
    /// A table per target: policy, result, severity, subject and message; then a verdict line.
    public var text: String {
        var lines: [String] = []
        for target in targets {
            let blocking = target.results.filter(\.blocking).count
            let verdict = target.passed ? "PASSED" : "BLOCKED (\(blocking) blocking)"
            lines.append("target \(target.target): \(verdict)")
            let rows = target.results.sorted { ($0.policy, $0.subject) < ($1.policy, $1.subject) }.map { result in
                let severity =
                    result.policyStatus == .enabled
                    ? result.severity.rawValue : "\(result.severity.rawValue) (\(result.policyStatus.rawValue))"
                return [result.policy, result.outcome.rawValue, severity, result.subject, result.message]
            }
            let header = ["POLICY", "RESULT", "SEVERITY", "SUBJECT", "MESSAGE"]
            let widths = (0..<4).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
            for row in [header] + rows {
                var line = "  "
                for column in 0..<4 {
                    line += row[column] + String(repeating: " ", count: widths[column] - row[column].count + 2)
                }
                lines.append((line + row[4]).trimmingTrailingSpaces)
            }
            if !target.skipped.isEmpty {
                lines.append(
                    "  not evaluated (draft, no severity for \(target.target), or no plan): "
                        + target.skipped.joined(separator: ", "))
            }
            lines.append("")
        }
        lines.append(passed ? "policy check passed" : "policy check failed: a requested target has a blocking failure")
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var result = self
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }
}
