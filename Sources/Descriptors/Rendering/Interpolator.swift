import Foundation
import LakegateCore

/// Resolves `${var.x}`, `${bundle.name}`, `${bundle.target}`, `${workspace.*}` and
/// `${resources.<kind>.<key>.<field>}` in YAML trees for one target, keeping every node's position.
struct Interpolator {
    /// Values of `${var.*}`, already resolved.
    var variables: [String: YAMLNode] = [:]
    /// Values of `${bundle.*}` and `${workspace.*}`.
    var builtins: [String: String] = [:]
    /// Declared variables without a value: already reported, so references to them stay silent.
    var unset: Set<String> = []
    /// Resolves `${resources.<kind>.<key>.<path>}`; returns the value node or a message.
    var resolveResource: (ResourceKind, String, [String], SourceLocation) -> Result<YAMLNode, Diagnostic>

    /// Keys (`kind.key`) referenced while interpolating, for dependencies.
    private(set) var referenced: Set<String> = []

    init(resolveResource: @escaping (ResourceKind, String, [String], SourceLocation) -> Result<YAMLNode, Diagnostic>) {
        self.resolveResource = resolveResource
    }

    /// Interpolates every string scalar in `node`.
    mutating func interpolate(_ node: YAMLNode, diagnostics: inout DiagnosticCollector) -> YAMLNode {
        switch node.content {
        case .scalar(let scalar):
            guard scalar.text.contains("${") else { return node }
            return interpolate(scalar: scalar, at: node.location, diagnostics: &diagnostics)
        case .sequence(let items):
            return YAMLNode(
                .sequence(items.map { interpolate($0, diagnostics: &diagnostics) }), location: node.location)
        case .mapping(let pairs):
            return YAMLNode(
                .mapping(
                    pairs.map {
                        YAMLPair(
                            key: $0.key, keyLocation: $0.keyLocation,
                            value: interpolate($0.value, diagnostics: &diagnostics))
                    }), location: node.location)
        }
    }

    /// The references in `text`, as `(reference, range)` pairs; malformed ones are reported.
    static func references(in text: String) -> [(String, Range<String.Index>)]? {
        var result: [(String, Range<String.Index>)] = []
        var index = text.startIndex
        while let start = text[index...].range(of: "${") {
            guard let end = text[start.upperBound...].firstIndex(of: "}") else { return nil }
            result.append((String(text[start.upperBound..<end]), start.lowerBound..<text.index(after: end)))
            index = text.index(after: end)
        }
        return result
    }

    private mutating func interpolate(
        scalar: YAMLScalar, at location: SourceLocation, diagnostics: inout DiagnosticCollector
    ) -> YAMLNode {
        guard let references = Self.references(in: scalar.text) else {
            diagnostics.add(location, "unterminated '${' in '\(scalar.text)'")
            return YAMLNode(.scalar(scalar), location: location)
        }
        var output = ""
        var cursor = scalar.text.startIndex
        var single: YAMLScalar?
        for (reference, range) in references {
            output += scalar.text[cursor..<range.lowerBound]
            cursor = range.upperBound
            guard let value = resolve(reference, at: location, diagnostics: &diagnostics) else {
                output += scalar.text[range]
                continue
            }
            guard let valueScalar = value.scalar else {
                diagnostics.add(
                    location, "'${\(reference)}' is \(value.kindDescription); only single values can be interpolated")
                continue
            }
            output += valueScalar.isNull ? "" : valueScalar.text
            if references.count == 1, range == scalar.text.startIndex..<scalar.text.endIndex {
                single = valueScalar
            }
        }
        output += scalar.text[cursor...]
        if let single {
            // A value that is exactly one reference keeps the referenced value's type.
            return YAMLNode(.scalar(single), location: location)
        }
        return YAMLNode(.scalar(YAMLScalar(text: output, style: .doubleQuoted)), location: location)
    }

    private mutating func resolve(
        _ reference: String, at location: SourceLocation, diagnostics: inout DiagnosticCollector
    ) -> YAMLNode? {
        let parts = reference.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "var":
            guard parts.count == 2 else {
                diagnostics.add(location, "invalid variable reference '${\(reference)}'")
                return nil
            }
            guard let value = variables[parts[1]] else {
                if unset.contains(parts[1]) { return nil }
                diagnostics.add(
                    location,
                    "unknown variable '\(parts[1])' in '${\(reference)}'"
                        + EditDistance.hint(for: parts[1], among: variables.keys.sorted()))
                return nil
            }
            return value
        case "bundle", "workspace":
            guard let value = builtins[reference] else {
                let known = builtins.keys.sorted()
                diagnostics.add(
                    location, "unknown reference '${\(reference)}'" + EditDistance.hint(for: reference, among: known))
                return nil
            }
            return YAMLNode(.scalar(YAMLScalar(text: value, style: .doubleQuoted)), location: location)
        case "resources":
            guard parts.count >= 4 else {
                diagnostics.add(
                    location, "invalid resource reference '${\(reference)}': use ${resources.<kind>.<key>.<field>}")
                return nil
            }
            guard let kind = ResourceKind(rawValue: parts[1]) else {
                diagnostics.add(
                    location,
                    "unknown resource kind '\(parts[1])' in '${\(reference)}'"
                        + EditDistance.hint(for: parts[1], among: ResourceKind.allCases.map(\.rawValue)))
                return nil
            }
            referenced.insert("\(kind.rawValue).\(parts[2])")
            switch resolveResource(kind, parts[2], Array(parts[3...]), location) {
            case .success(let node): return node
            case .failure(let diagnostic):
                diagnostics.add(diagnostic.location, diagnostic.message)
                return nil
            }
        default:
            diagnostics.add(
                location, "unknown reference '${\(reference)}': use var.*, bundle.*, workspace.* or resources.*")
            return nil
        }
    }
}
