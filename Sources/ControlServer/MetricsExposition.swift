/// Completes the Prometheus text exposition: swift-metrics cannot carry help text, so a `# HELP` line is added
/// before every `# TYPE` line that lacks one, from Lakegate's catalogue of metric descriptions.
enum MetricsExposition {
    static func withHelp(_ text: String, help: [String: String]) -> String {
        var output: [Substring] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        var helped: Set<Substring> = []
        for line in lines {
            if line.hasPrefix("# HELP ") {
                helped.insert(Self.name(of: line))
            } else if line.hasPrefix("# TYPE ") {
                let name = Self.name(of: line)
                if !helped.contains(name) {
                    let description = help[String(name)] ?? "Lakegate metric \(name)."
                    output.append(Substring("# HELP \(name) \(description)"))
                    helped.insert(name)
                }
            }
            output.append(line)
        }
        return output.joined(separator: "\n") + "\n"
    }

    private static func name(of commentLine: Substring) -> Substring {
        let fields = commentLine.split(separator: " ")
        return fields.count > 2 ? fields[2] : ""
    }
}
