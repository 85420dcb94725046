import Foundation
import LakegateCore

extension SavedPlan {
    /// The document without its checksum: what the checksum is computed over.
    var body: JSONValue {
        .object([
            "format": .string(Self.format),
            "version": .int(Int64(Self.version)),
            "lakegateVersion": .string(lakegateVersion),
            "createdAt": .string(createdAt),
            "product": .string(product),
            "target": .string(target),
            "productDirectory": .string(productDirectory),
            "stateDirectory": .string(stateDirectory),
            "host": .string(host),
            "rules": .object([
                "allowDestroy": .array(rules.allowDestroy.sorted().map { .string($0) }),
                "maxDeleteShare": .double(rules.maxDeleteShare),
                "allowAdoption": .bool(rules.allowAdoption),
                "prune": .bool(rules.prune),
            ]),
            "desired": .object([
                "digest": .string(desiredDigest),
                "resources": .object(desiredResources.mapValues { .string($0) }),
            ]),
            "live": .object(live.mapValues { .string($0) }),
            "inventory": .string(inventoryDigest),
            "plan": plan,
            "rendered": .string(rendered),
        ])
    }

    /// The file's JSON: the body and `checksum`, `sha256:…` over the body's canonical JSON.
    public var jsonValue: JSONValue {
        guard case .object(var object) = body else { return body }
        object["checksum"] = .string(Self.digest(body))
        return .object(object)
    }

    /// The file's text (pretty JSON, newline-terminated).
    public var fileText: String { jsonValue.prettyJSON + "\n" }

    /// Reads a plan file, refusing one of another format or version, one whose checksum does not match its
    /// contents (edited, truncated) and one whose plan does not match its own digest.
    ///
    /// - Throws: ``SavedPlanError`` naming the file and what is wrong.
    public static func read(_ data: Data, path: String) throws -> SavedPlan {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: data)
        } catch {
            throw SavedPlanError(path: path, "not a plan file: it is not JSON (\(error))")
        }
        guard case .object(var object) = document, object["format"]?.stringValue == format else {
            throw SavedPlanError(path: path, "not a plan file: no \"format\": \"\(format)\"")
        }
        guard let version = object["version"]?.intValue, version == Int64(Self.version) else {
            throw SavedPlanError(
                path: path,
                "plan file format version \(object["version"].map { $0.canonicalJSON } ?? "missing"); this Lakegate "
                    + "(\(LakegateVersion.string)) reads version \(Self.version) only: run lakegate plan -out again")
        }
        guard let checksum = object.removeValue(forKey: "checksum")?.stringValue else {
            throw SavedPlanError(path: path, "no checksum: the file is incomplete or was edited")
        }
        guard checksum == digest(.object(object)) else {
            throw SavedPlanError(
                path: path, "checksum mismatch: the file was edited or damaged since lakegate wrote it")
        }
        func string(_ key: String, in object: [String: JSONValue]) throws -> String {
            guard let value = object[key]?.stringValue else {
                throw SavedPlanError(path: path, "field \(key) is missing or not a string")
            }
            return value
        }
        func strings(_ value: JSONValue?, field: String) throws -> [String: String] {
            guard let entries = value?.objectValue else {
                throw SavedPlanError(path: path, "field \(field) is missing or not an object")
            }
            return try entries.mapValues {
                guard let text = $0.stringValue else {
                    throw SavedPlanError(path: path, "field \(field) holds a value that is not a string")
                }
                return text
            }
        }
        guard let rulesObject = object["rules"]?.objectValue, let desired = object["desired"]?.objectValue,
            let planObject = object["plan"]?.objectValue
        else { throw SavedPlanError(path: path, "fields rules, desired and plan must be objects") }
        let maxDeleteShare: Double? =
            switch rulesObject["maxDeleteShare"] {
            case .double(let value)?: value
            case .int(let value)?: Double(value)
            default: nil
            }
        guard let maxDeleteShare, let allowAdoption = rulesObject["allowAdoption"]?.boolValue,
            let prune = rulesObject["prune"]?.boolValue, let allowDestroy = rulesObject["allowDestroy"]?.arrayValue
        else { throw SavedPlanError(path: path, "field rules is incomplete") }
        let rules = PlanRules(
            allowDestroy: Set(allowDestroy.compactMap(\.stringValue)), maxDeleteShare: maxDeleteShare,
            allowAdoption: allowAdoption, prune: prune)
        // The plan must be the one its digest names: the digest is what apply compares with a fresh plan.
        let planDigest = try string("digest", in: planObject)
        let planBody = JSONValue.object([
            "product": planObject["product"] ?? .null, "target": planObject["target"] ?? .null,
            "actions": planObject["actions"] ?? .null,
        ])
        guard planDigest == digest(planBody) else {
            throw SavedPlanError(path: path, "the plan's actions do not match its digest \(planDigest)")
        }
        let saved = SavedPlan(
            product: try string("product", in: object), target: try string("target", in: object),
            productDirectory: try string("productDirectory", in: object),
            stateDirectory: try string("stateDirectory", in: object), host: try string("host", in: object),
            createdAt: try string("createdAt", in: object), lakegateVersion: try string("lakegateVersion", in: object),
            rules: rules, desiredDigest: try string("digest", in: desired),
            desiredResources: try strings(desired["resources"], field: "desired.resources"),
            live: try strings(object["live"], field: "live"), inventoryDigest: try string("inventory", in: object),
            plan: .object(planObject), planDigest: planDigest, rendered: try string("rendered", in: object))
        guard planObject["product"]?.stringValue == saved.product, planObject["target"]?.stringValue == saved.target
        else { throw SavedPlanError(path: path, "the plan is for another product or target than the file says") }
        return saved
    }
}
