import Foundation

/// A parsed `~/.databrickscfg`: INI sections of `key = value` lines.
///
/// Like Python's configparser (which the SDK uses): `[DEFAULT]` values are inherited by every other section,
/// `#` and `;` start comment lines, keys are lower-cased, and both `=` and `:` separate key and value.
///
/// Errors name the file and line and say what is wrong, but never quote the line: it may hold a token.
public struct ConfigFile: Sendable, Equatable {
    /// Sections by name; `DEFAULT` holds the defaults.
    public var sections: [String: [String: String]]
    /// Section names in file order.
    public var sectionOrder: [String]

    /// Parses `text`; `path` names the file in errors.
    public init(parsing text: String, path: String) throws {
        sections = [:]
        sectionOrder = []
        var current: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw DatabricksConfigError(
                        "\(path):\(index + 1):1: malformed section header (expected '[name]')")
                }
                let name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                current = name
                if sections[name] == nil {
                    sections[name] = [:]
                    sectionOrder.append(name)
                }
                continue
            }
            guard let section = current else {
                throw DatabricksConfigError(
                    "\(path):\(index + 1):1: a 'key = value' line appears before any [section] header")
            }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                // The line is not quoted: a token pasted without its key would be echoed.
                throw DatabricksConfigError(
                    "\(path):\(index + 1):1: expected 'key = value' (the line has no '=' or ':'; it is not shown, "
                        + "as it may hold a secret)")
            }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][key] = value
        }
    }

    /// The profile `name` with `[DEFAULT]` values filled in, or nil when there is no such section.
    public func profile(_ name: String) -> [String: String]? {
        let defaults = sections["DEFAULT"] ?? [:]
        if name == "DEFAULT" { return sections["DEFAULT"] }
        guard let section = sections[name] else { return nil }
        return defaults.merging(section) { _, own in own }
    }

    /// `[__settings__].default_profile`, when set.
    public var defaultProfile: String? {
        sections["__settings__"]?["default_profile"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
