import Foundation
import LakegateCore

extension Renderer {
    /// Unity Catalog privileges accepted in grants.
    static let privileges = [
        "ALL_PRIVILEGES", "APPLY_TAG", "BROWSE", "CREATE_FUNCTION", "CREATE_MATERIALIZED_VIEW", "CREATE_MODEL",
        "CREATE_SCHEMA", "CREATE_TABLE", "CREATE_VOLUME", "EXECUTE", "MANAGE", "MODIFY", "READ_VOLUME", "REFRESH",
        "SELECT", "USE_CATALOG", "USE_SCHEMA", "WRITE_VOLUME",
    ]

    /// Reads `grants: [{principal, privileges}]` into the canonical sorted form.
    mutating func grants(_ node: YAMLNode?, context: String) -> JSONValue {
        guard let node, !(node.scalar?.isNull ?? false) else { return .array([]) }
        guard let items = node.sequence else {
            diagnostics.add(node.location, "'grants' in \(context) must be a list, found \(node.kindDescription)")
            return .array([])
        }
        var byPrincipal: [String: Set<String>] = [:]
        for item in items {
            guard let grant = YAMLMappingReader(item, context: "grant in \(context)", diagnostics: &diagnostics) else {
                continue
            }
            grant.checkKeys(["principal", "privileges"], diagnostics: &diagnostics)
            guard let principal = grant.string("principal", required: true, diagnostics: &diagnostics),
                let privileges = grant.stringList("privileges", required: true, diagnostics: &diagnostics)
            else { continue }
            for (index, privilege) in privileges.enumerated() {
                let normalized = privilege.uppercased().replacingOccurrences(of: " ", with: "_")
                guard Self.privileges.contains(normalized) else {
                    let location = grant["privileges"]?.sequence?[index].location ?? item.location
                    diagnostics.add(
                        location,
                        "unknown privilege '\(privilege)' in \(context)"
                            + EditDistance.hint(for: normalized, among: Self.privileges))
                    continue
                }
                byPrincipal[principal, default: []].insert(normalized)
            }
        }
        return Self.canonicalGrants(byPrincipal)
    }

    static func canonicalGrants(_ byPrincipal: [String: Set<String>]) -> JSONValue {
        .array(
            byPrincipal.keys.sorted().compactMap { principal in
                let privileges = byPrincipal[principal]!.sorted()
                guard !privileges.isEmpty else { return nil }
                return .object(["principal": .string(principal), "privileges": .array(privileges.map { .string($0) })])
            })
    }
}
