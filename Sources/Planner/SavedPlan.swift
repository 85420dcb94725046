import LakegateCore

/// A plan written by `lakegate plan -out FILE` and applied by `lakegate apply FILE`: the plan, and what it was
/// made from (the desired state's digest and one fingerprint per resource, a fingerprint of every live resource
/// the plan considered, the inventory), so that apply can refuse, naming what moved, when any of it changed.
///
/// The file is versioned JSON with a checksum over its contents: an edited or truncated file, or one of another
/// format version, is refused before anything is read from the workspace.
public struct SavedPlan: Sendable, Equatable {
    /// The `format` field of every plan file.
    public static let format = "lakegate-plan"
    /// The version this Lakegate writes and reads; any other is refused.
    public static let version = 1
    /// The fingerprint of a key the live read found certainly absent.
    public static let absent = "absent"

    public var product: String
    public var target: String
    /// The product directory the plan was made from (absolute).
    public var productDirectory: String
    /// The state directory whose inventory the plan was made with (absolute).
    public var stateDirectory: String
    /// The workspace host.
    public var host: String
    /// When the plan was made (ISO 8601), and by which Lakegate.
    public var createdAt: String
    public var lakegateVersion: String
    /// The rules the plan was made under; apply plans again under exactly these.
    public var rules: PlanRules
    /// `sha256:…` of the rendered desired state.
    public var desiredDigest: String
    /// `sha256:…` of each desired resource, by key: names what changed in the files.
    public var desiredResources: [String: String]
    /// `sha256:…` of each live resource the plan considered (desired, owned or found), by key; ``absent`` for
    /// one the read found absent.
    public var live: [String: String]
    /// `sha256:…` of the inventory entries of this product and target.
    public var inventoryDigest: String
    /// The plan as `lakegate plan --output json` prints it (with its digest).
    public var plan: JSONValue
    /// The plan's digest: apply runs only a plan with this digest.
    public var planDigest: String
    /// The plan as text (no colours), for `lakegate show`.
    public var rendered: String

    /// The saved form of `plan`, made from `desired`, `snapshot` and `inventory` under `rules`.
    public init(
        plan: Plan, desired: DesiredState, snapshot: LiveSnapshot, inventory: [InventoryEntry], rules: PlanRules,
        productDirectory: String, stateDirectory: String, host: String, createdAt: String
    ) {
        product = plan.product
        target = plan.target
        self.productDirectory = productDirectory
        self.stateDirectory = stateDirectory
        self.host = host
        self.createdAt = createdAt
        lakegateVersion = LakegateVersion.string
        self.rules = rules
        desiredDigest = desired.digest
        desiredResources = Dictionary(
            desired.resources.map { ($0.key, Self.digest($0.jsonValue)) }, uniquingKeysWith: { first, _ in first })
        live = Self.fingerprints(snapshot, keys: Set(desired.resources.map(\.key)).union(inventory.map(\.key)))
        inventoryDigest = Self.digest(
            .array(inventory.sorted { $0.key < $1.key }.map { Self.entryJSON($0) }))
        self.plan = plan.jsonValue
        planDigest = plan.digest
        rendered = PlanRenderer(colors: false).render(plan)
    }

    /// Every field as read from a file (``SavedPlan/read(_:path:)``).
    init(
        product: String, target: String, productDirectory: String, stateDirectory: String, host: String,
        createdAt: String, lakegateVersion: String, rules: PlanRules, desiredDigest: String,
        desiredResources: [String: String], live: [String: String], inventoryDigest: String, plan: JSONValue,
        planDigest: String, rendered: String
    ) {
        self.product = product
        self.target = target
        self.productDirectory = productDirectory
        self.stateDirectory = stateDirectory
        self.host = host
        self.createdAt = createdAt
        self.lakegateVersion = lakegateVersion
        self.rules = rules
        self.desiredDigest = desiredDigest
        self.desiredResources = desiredResources
        self.live = live
        self.inventoryDigest = inventoryDigest
        self.plan = plan
        self.planDigest = planDigest
        self.rendered = rendered
    }

    /// `sha256:<hex>` of the canonical JSON of `value`.
    static func digest(_ value: JSONValue) -> String {
        "sha256:" + SHA256Digest.hex(of: value.canonicalJSONBytes)
    }

    /// One fingerprint per key the plan looked at or the read returned: the live object's canonical fields,
    /// name, id, marker and etag (and any duplicate of it), or ``absent``.
    static func fingerprints(_ snapshot: LiveSnapshot, keys: Set<String>) -> [String: String] {
        var result: [String: String] = [:]
        let all = keys.union(snapshot.resources.keys).union(snapshot.absent)
        for key in all {
            var parts: [JSONValue] = []
            if let resource = snapshot.resources[key] { parts.append(resourceJSON(resource)) }
            for duplicate in snapshot.duplicates where duplicate.key == key { parts.append(resourceJSON(duplicate)) }
            if parts.isEmpty {
                result[key] = snapshot.absent.contains(key) ? absent : "unread"
            } else {
                result[key] = digest(.array(parts))
            }
        }
        return result
    }

    static func resourceJSON(_ resource: LiveResource) -> JSONValue {
        var object: [String: JSONValue] = [
            "kind": .string(resource.kind.rawValue), "name": .string(resource.name), "id": .string(resource.id),
            "fields": .object(resource.fields), "owned": .bool(resource.ownedMarker),
        ]
        if let etag = resource.etag { object["etag"] = .string(etag) }
        return .object(object)
    }

    static func entryJSON(_ entry: InventoryEntry) -> JSONValue {
        .object([
            "key": .string(entry.key), "kind": .string(entry.kind.rawValue), "name": .string(entry.name),
            "liveID": .string(entry.liveID),
        ])
    }
}
