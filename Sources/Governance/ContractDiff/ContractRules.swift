import Foundation
import LakegateCore

/// The rules that give a change its direction: datacontract-cli 1.2's, then Lakegate's governance rules.
enum ContractRules {
    static let metadataRule = "metadata-or-unknown-change"

    private static let thresholds = [
        "mustBe", "mustNotBe", "mustBeGreaterThan", "mustBeGreaterOrEqualTo", "mustBeLessThan",
        "mustBeLessOrEqualTo", "mustBeBetween", "mustNotBeBetween",
    ]
    private static let uncheckedQualityFields: Set<String> = [
        "id", "name", "rule", "description", "dimension", "businessImpact", "method", "schedule", "scheduler",
        "severity", "tags", "customProperties", "authoritativeDefinitions",
    ]
    private static let warningSeverities: Set<String> = ["info", "warning", "warn", "low", "minor", "trivial"]
    private static let validationKeys: Set<String> = [
        "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "minItems", "maxItems",
    ]
    /// Classification levels from least to most protected; unknown labels are not compared.
    static let classificationRank: [String: Int] = [
        "public": 0, "internal": 1, "confidential": 2, "sensitive": 2, "restricted": 3, "secret": 3,
    ]

    // MARK: Governance rules (always errors)

    static func governance(_ change: ContractDiff.RawChange, trees: ContractDiff.Trees) -> (
        rule: String, direction: ChangeDirection
    )? {
        let s = change.segments
        guard s.first == "schema", let last = s.last else { return nil }
        if last == "classification", change.kind != .added {
            guard let oldRank = rank(change.old) else { return nil }
            let newRank = change.kind == .removed ? -1 : rank(change.new)
            if let newRank, newRank < oldRank { return ("classification-loosened", .loosens) }
            return nil
        }
        if change.kind == .removed, s.count >= 2, s[s.count - 2] == "tags", last.lowercased() == "pii" {
            return ("pii-tag-removed", .loosens)
        }
        if last == "tags", change.kind != .added, containsPII(change.old), !containsPII(change.new) {
            return ("pii-tag-removed", .loosens)
        }
        if change.kind == .removed, s.count >= 2, s[s.count - 2] == "customProperties", last == "ucColumnMask" {
            return ("column-mask-removed", .loosens)
        }
        return nil
    }

    private static func rank(_ value: JSONValue?) -> Int? {
        value?.stringValue.flatMap { classificationRank[$0.lowercased()] }
    }

    private static func containsPII(_ value: JSONValue?) -> Bool {
        switch value {
        case .string(let s): s.lowercased() == "pii"
        case .array(let items): items.contains { $0.stringValue?.lowercased() == "pii" }
        default: false
        }
    }

    // MARK: datacontract-cli 1.2 rules

    static func classify(_ change: ContractDiff.RawChange, trees: ContractDiff.Trees) -> (String, ChangeDirection) {
        let s = change.segments
        let last = s.last ?? ""
        let inSchema = s.first == "schema"
        if inSchema, let q = s.lastIndex(of: "quality"), q + 1 < s.count {
            return ("quality-constraint-changed", quality(change, qualityIndex: q, trees: trees))
        }
        if inSchema, let r = s.lastIndex(of: "relationships"), r + 1 < s.count {
            return ("relationship-changed", relationship(change, index: r, trees: trees))
        }
        if s.count >= 2, s[0] == "slaProperties", s[1] == "freshness" {
            return ("freshness-changed", freshness(change, trees: trees))
        }
        if inSchema, last == "physicalName" {
            let owner = s.count >= 2 ? s[s.count - 2] : ""
            let old = change.old?.stringValue ?? owner
            let new = change.new?.stringValue ?? owner
            return ("physical-name-changed", old == new ? .untested : .both)
        }
        if inSchema, last == "required" { return ("required-changed", flagDirection(change)) }
        if s.count == 2, inSchema {
            switch change.kind {
            case .added: return ("schema-added-or-removed", .tightens)
            case .removed: return ("schema-added-or-removed", .loosens)
            case .updated: break
            }
        }
        if inSchema, s.count >= 3, s[s.count - 2] == "properties" {
            switch change.kind {
            case .added: return ("property-added-or-removed", .tightens)
            case .removed: return ("property-added-or-removed", .loosens)
            case .updated: break
            }
        }
        if inSchema, s.count >= 5, last == "logicalType" || last == "physicalType" {
            switch change.kind {
            case .updated: return ("type-changed", .both)
            case .added: return ("type-changed", .tightens)
            case .removed: return ("type-changed", .loosens)
            }
        }
        if inSchema, last == "unique" || last == "uniqueItems" {
            return ("unique-constraint-changed", flagDirection(change))
        }
        if inSchema, last == "primaryKeyPosition" { return ("key-constraint-changed", .untested) }
        if inSchema, last == "primaryKey" { return ("key-constraint-changed", keyDirection(change, trees: trees)) }
        if inSchema, validationKeys.contains(last) {
            return ("validation-constraint-changed", validation(change))
        }
        return (metadataRule, .untested)
    }

    private static func flagDirection(_ change: ContractDiff.RawChange) -> ChangeDirection {
        guard let old = flag(change.old), let new = flag(change.new) else { return .undetermined }
        if old == new { return .untested }
        return new ? .tightens : .loosens
    }

    private static func flag(_ value: JSONValue?) -> Bool? {
        switch value {
        case nil, .null?: false
        case .bool(let b)?: b
        case .int(let i)?: i == 1 ? true : i == 0 ? false : nil
        case .string(let s)?:
            ["true", "1"].contains(s.lowercased()) ? true : ["false", "0"].contains(s.lowercased()) ? false : nil
        default: nil
        }
    }

    private static func keyDirection(_ change: ContractDiff.RawChange, trees: ContractDiff.Trees) -> ChangeDirection {
        let direction = flagDirection(change)
        guard direction == .tightens || direction == .loosens, let p = change.segments.firstIndex(of: "properties")
        else { return direction }
        let schemaPath = Array(change.segments.prefix(p))
        let composite = [trees.before, trees.after].contains { tree in
            let properties = lookup(tree, schemaPath + ["properties"])?.objectValue ?? [:]
            return properties.values.filter { flag($0["primaryKey"]) == true }.count > 1
        }
        return composite ? .both : direction
    }

    private static func validation(_ change: ContractDiff.RawChange) -> ChangeDirection {
        let key = change.segments.last ?? ""
        switch change.kind {
        case .added: return .tightens
        case .removed: return .loosens
        case .updated:
            if key == "pattern" { return .undetermined }
            guard let old = number(change.old), let new = number(change.new) else { return .undetermined }
            if old == new { return .untested }
            if ["minLength", "minimum", "exclusiveMinimum", "minItems"].contains(key) {
                return new > old ? .tightens : .loosens
            }
            return new < old ? .tightens : .loosens
        }
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let i)?: Double(i)
        case .double(let d)?: d
        case .string(let s)?: Double(s.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    private static func relationship(
        _ change: ContractDiff.RawChange, index: Int, trees: ContractDiff.Trees
    ) -> ChangeDirection {
        let s = change.segments
        let container = Array(s.prefix(index + 1))
        let key = s[index + 1]
        let field = s.count > index + 2 ? s[index + 2] : nil
        let item = lookup(trees.after, container + [key]) ?? lookup(trees.before, container + [key])
        if field == "type" {
            let was = (change.old?.stringValue ?? "foreignKey") == "foreignKey"
            let now = (change.new?.stringValue ?? "foreignKey") == "foreignKey"
            return was == now ? .untested : now ? .tightens : .loosens
        }
        if (item?["type"]?.stringValue ?? "foreignKey") != "foreignKey" { return .untested }
        guard let field else { return change.kind == .added ? .tightens : .loosens }
        return field == "from" || field == "to" ? .both : .untested
    }

    private static func freshness(_ change: ContractDiff.RawChange, trees: ContractDiff.Trees) -> ChangeDirection {
        let oldSLA = lookup(trees.before, ["slaProperties", "freshness"]) ?? .object([:])
        let newSLA = lookup(trees.after, ["slaProperties", "freshness"]) ?? .object([:])
        func checked(_ sla: JSONValue, _ tree: JSONValue) -> Bool {
            guard sla["value"] != nil, let element = sla["element"]?.stringValue else { return false }
            let parts = element.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 2 && tree["schema"]?[String(parts[0])] != nil
        }
        let was = checked(oldSLA, trees.before)
        let now = checked(newSLA, trees.after)
        let field = change.segments.count > 2 ? change.segments[2] : nil
        if !was && !now { return .untested }
        if was != now { return now ? .tightens : .loosens }
        if field == "element" { return .both }
        if field == "value" || field == "unit" {
            guard let old = seconds(oldSLA), let new = seconds(newSLA) else { return .undetermined }
            return old == new ? .untested : new < old ? .tightens : .loosens
        }
        return .untested
    }

    private static func seconds(_ sla: JSONValue) -> Double? {
        guard let value = number(sla["value"]) else { return nil }
        let unit = (sla["unit"]?.stringValue ?? "s").lowercased()
        let factors: [String: Double] = [
            "s": 1, "sec": 1, "second": 1, "seconds": 1, "m": 60, "min": 60, "minute": 60, "minutes": 60,
            "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600, "d": 86400, "day": 86400, "days": 86400,
        ]
        return factors[unit].map { $0 * value }
    }

    private static func quality(
        _ change: ContractDiff.RawChange, qualityIndex q: Int, trees: ContractDiff.Trees
    ) -> ChangeDirection {
        let s = change.segments
        let rulePath = Array(s.prefix(q + 2))
        let field = s.count > q + 2 ? s[q + 2] : nil
        let oldRule = lookup(trees.before, rulePath)?.objectValue ?? [:]
        let newRule = lookup(trees.after, rulePath)?.objectValue ?? [:]
        let was = isGuarantee(oldRule)
        let now = isGuarantee(newRule)
        if !was && !now { return .untested }
        guard let field else { return change.kind == .added ? .tightens : .loosens }
        if was != now { return now ? .tightens : .loosens }
        if thresholds.contains(field) {
            guard oldRule[field] != nil, newRule[field] != nil, let old = number(change.old),
                let new = number(change.new)
            else { return .undetermined }
            if old == new { return .untested }
            switch field {
            case "mustBeLessThan", "mustBeLessOrEqualTo": return new < old ? .tightens : .loosens
            case "mustBeGreaterThan", "mustBeGreaterOrEqualTo": return new > old ? .tightens : .loosens
            default: return .both
            }
        }
        if uncheckedQualityFields.contains(field) { return .untested }
        return .undetermined
    }

    /// Whether a quality rule is a check that can fail: an error severity, a threshold and something to run.
    private static func isGuarantee(_ rule: [String: JSONValue]) -> Bool {
        if let severity = rule["severity"]?.stringValue,
            warningSeverities.contains(severity.trimmingCharacters(in: .whitespaces).lowercased())
        {
            return false
        }
        guard thresholds.contains(where: { rule[$0] != nil }) else { return false }
        if rule["type"]?.stringValue == "sql" { return rule["query"] != nil }
        return rule["metric"] != nil
    }

    static func lookup(_ tree: JSONValue, _ segments: [String]) -> JSONValue? {
        var current: JSONValue? = tree
        for segment in segments { current = current?[segment] }
        return current
    }
}
