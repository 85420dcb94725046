import CEL
import Descriptors
import Foundation
import LakegateCore

/// Loads and validates policy files from a directory or a git tree.
///
/// One policy per `.yaml`/`.yml` file. Every problem in every file is reported at once, as
/// `path:line:column: message`, CEL syntax errors at their position inside the expression.
public enum PolicyLoader {
    static let keys: Set<String> = [
        "id", "version", "status", "severity", "scope", "expression", "check", "message", "description", "category",
    ]

    /// Loads every policy file below `directory` of `source` (`""` is the root).
    public static func load(from source: any FileSource, directory: String = "") throws(DiagnosticList) -> [Policy] {
        let files: [String]
        do {
            files = try source.list(directory).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        } catch {
            throw DiagnosticList([Diagnostic(SourceLocation(path: directory), "cannot list policies: \(error)")])
        }
        if files.isEmpty {
            let place = directory.isEmpty ? source.displayName : "\(source.displayName)/\(directory)"
            throw DiagnosticList([Diagnostic(SourceLocation(path: place), "no policy files (*.yaml, *.yml) found")])
        }
        var policies: [Policy] = []
        var problems: [Diagnostic] = []
        var seen: [String: SourceLocation] = [:]
        for file in files {
            do {
                let data = try source.read(file)
                let policy = try parse(data, path: file)
                if let earlier = seen[policy.id] {
                    problems.append(
                        Diagnostic(
                            policy.location,
                            "policy id '\(policy.id)' is already used by \(earlier.path):\(earlier.line)"))
                    continue
                }
                seen[policy.id] = policy.location
                policies.append(policy)
            } catch let list as DiagnosticList {
                problems += list.diagnostics
            } catch {
                problems.append(Diagnostic(SourceLocation(path: file), "\(error)"))
            }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return policies.sorted { $0.id < $1.id }
    }

    /// Parses and validates one policy file.
    public static func parse(_ data: Data, path: String) throws(DiagnosticList) -> Policy {
        let root = try YAMLParser.parse(data, path: path)
        guard let pairs = root.mapping else {
            throw DiagnosticList([
                Diagnostic(root.location, "a policy file must be a mapping, not \(root.kindDescription)")
            ])
        }
        var problems: [Diagnostic] = []
        for pair in pairs where !keys.contains(pair.key) {
            problems.append(
                Diagnostic(
                    pair.keyLocation,
                    "unknown key '\(pair.key)'; expected one of \(keys.sorted().joined(separator: ", "))"))
        }
        func string(_ key: String, required: Bool = true) -> (String, YAMLNode)? {
            guard let node = root[key] else {
                if required { problems.append(Diagnostic(root.location, "missing required key '\(key)'")) }
                return nil
            }
            guard let scalar = node.scalar, !scalar.isNull else {
                problems.append(Diagnostic(node.location, "'\(key)' must be a scalar, not \(node.kindDescription)"))
                return nil
            }
            if scalar.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(Diagnostic(node.location, "'\(key)' must not be empty"))
                return nil
            }
            return (scalar.text, node)
        }
        func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> T?
        where T.RawValue == String {
            guard let (text, node) = string(key) else { return nil }
            guard let value = T(rawValue: text) else {
                let allowed = T.allCases.map(\.rawValue).joined(separator: " | ")
                problems.append(Diagnostic(node.location, "'\(key)' is '\(text)'; expected \(allowed)"))
                return nil
            }
            return value
        }

        let id = string("id")
        if let (text, node) = id, !isValidID(text) {
            problems.append(
                Diagnostic(node.location, "id '\(text)' must be lower-case letters, digits, '.', '_' or '-'"))
        }
        let version = string("version")
        let status = choice("status", PolicyStatus.self)
        let scope = choice("scope", PolicyScope.self)
        let message = string("message")
        let description = string("description", required: false)
        let category = string("category", required: false)
        let (severities, defaultSeverity) = parseSeverity(root, problems: &problems)

        var program: CELProgram?
        var expression: String?
        var builtin: BuiltinCheck?
        switch (root["expression"], root["check"]) {
        case (nil, nil):
            problems.append(Diagnostic(root.location, "missing required key 'expression' (or 'check' for a built-in)"))
        case (.some, .some):
            problems.append(
                Diagnostic(root.pair("check")!.keyLocation, "give either 'expression' or 'check', not both"))
        case (.some, nil):
            if let (text, node) = string("expression") {
                expression = text
                do {
                    program = try CELProgram.compile(text)
                } catch {
                    let at = celLocation(of: error, in: node, data: data)
                    problems.append(Diagnostic(at, "CEL: \(error.message)"))
                }
            }
        case (nil, .some):
            builtin = choice("check", BuiltinCheck.self)
            if let builtin, let scope, builtin == .contractBreakingChanges, scope != .contract {
                problems.append(
                    Diagnostic(root["scope"]!.location, "check '\(builtin.rawValue)' needs scope 'contract'"))
            }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return Policy(
            id: id!.0, version: version!.0, status: status!, severities: severities,
            defaultSeverity: defaultSeverity, scope: scope!, expression: expression, builtin: builtin,
            message: message!.0, description: description?.0, category: category?.0,
            location: root.location, program: program)
    }

    private static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, CharacterSet.lowercaseLetters.contains(first) else {
            return false
        }
        return id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-"
        }
    }

    /// `severity: error` for every target, or `severity: {qa: warning, prod: error, default: info}`.
    private static func parseSeverity(_ root: YAMLNode, problems: inout [Diagnostic]) -> (
        [String: PolicySeverity], PolicySeverity?
    ) {
        guard let node = root["severity"] else {
            problems.append(Diagnostic(root.location, "missing required key 'severity'"))
            return ([:], nil)
        }
        func severity(_ node: YAMLNode) -> PolicySeverity? {
            guard let text = node.text, let value = PolicySeverity(rawValue: text) else {
                problems.append(
                    Diagnostic(
                        node.location,
                        "severity is '\(node.text ?? node.kindDescription)'; expected info | warning | error"
                    ))
                return nil
            }
            return value
        }
        if node.scalar != nil {
            return ([:], severity(node))
        }
        guard let pairs = node.mapping, !pairs.isEmpty else {
            problems.append(
                Diagnostic(node.location, "'severity' must be info | warning | error or a mapping of target to one"))
            return ([:], nil)
        }
        var result: [String: PolicySeverity] = [:]
        var fallback: PolicySeverity?
        for pair in pairs {
            guard let value = severity(pair.value) else { continue }
            if pair.key == "default" { fallback = value } else { result[pair.key] = value }
        }
        return (result, fallback)
    }

    /// Maps a position inside the expression to the file: block scalars start on the line after `|`.
    static func celLocation(of error: CELError, in node: YAMLNode, data: Data) -> SourceLocation {
        var location = node.location
        guard error.line > 0, let style = node.scalar?.style else { return location }
        switch style {
        case .plain, .singleQuoted, .doubleQuoted:
            let quote = style == .plain ? 0 : 1
            if error.line == 1 {
                location.column += quote + error.column - 1
            } else {
                location.line += error.line - 1
                location.column = error.column
            }
        case .literal, .folded:
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            // The content starts on the line after the indicator; its indentation is that of the first non-blank line.
            let contentStart = node.location.line + 1
            let firstContent = (contentStart...max(contentStart, lines.count)).first { number in
                number <= lines.count && !lines[number - 1].allSatisfy { $0 == " " }
            }
            let indent = firstContent.map { lines[$0 - 1].prefix { $0 == " " }.count } ?? 0
            if style == .literal {
                location.line = contentStart + error.line - 1
                location.column = indent + error.column
            } else {
                location.line = firstContent ?? contentStart
                location.column = indent + 1
            }
        }
        return location
    }
}
