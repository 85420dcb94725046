/// One object as read from the workspace, in the same canonical field shape as ``Resource``.
public struct LiveResource: Sendable, Hashable, Codable {
    /// What kind of object this is.
    public var kind: ResourceKind
    /// The product key it matches (from the desired state or the inventory).
    public var key: String
    /// The full Databricks name.
    public var name: String
    /// The workspace id where the API has one (job id, space id, table id); otherwise the full name.
    public var id: String
    /// Canonical fields, normalized as described in `docs/resource-model.md`.
    public var fields: [String: JSONValue]
    /// Whether the object carries this product's and target's ownership markers.
    public var ownedMarker: Bool
    /// Opaque concurrency token where the API has one (Genie etag).
    public var etag: String?

    public init(
        kind: ResourceKind, key: String, name: String, id: String, fields: [String: JSONValue], ownedMarker: Bool,
        etag: String? = nil
    ) {
        self.kind = kind
        self.key = key
        self.name = name
        self.id = id
        self.fields = fields
        self.ownedMarker = ownedMarker
        self.etag = etag
    }
}

/// The live state of the objects a product names or owns.
///
/// A read that failed is never the same as "absent": ``complete`` is false and ``failures`` says why,
/// and the planner then refuses every delete.
public struct LiveSnapshot: Sendable, Hashable {
    /// Objects found, by product key.
    public var resources: [String: LiveResource]
    /// Keys that were looked for and are certainly absent.
    public var absent: Set<String>
    /// Whether every read succeeded.
    public var complete: Bool
    /// Reads that failed: what was read and why it failed.
    public var failures: [String]
    /// Tables in the product's schemas that neither the files name nor any product owns (no ownership markers),
    /// keyed as the product would key them (`tables.<name>`). Read only on request (for capture); the planner
    /// ignores them.
    public var unclaimedTables: [LiveResource] = []
    /// Genie spaces that name tables of the product's catalogs and that the product neither names nor owns, keyed
    /// by space id. Read only on request (for capture); the planner ignores them.
    public var unclaimedGenieSpaces: [LiveResource] = []
    /// Volumes and functions in the same schemas that the files do not name and that carry no ownership markers
    /// (functions carry none), keyed `volumes.<name>` / `functions.<name>`. Read with ``unclaimedTables``.
    public var unclaimedObjects: [LiveResource] = []
    /// Objects that share the natural key of a found object (a job's exact name) without being it: keyed like
    /// the object they duplicate, with their own ``LiveResource/id``. A lost create response leaves these behind.
    public var duplicates: [LiveResource] = []

    public init(
        resources: [String: LiveResource] = [:], absent: Set<String> = [], complete: Bool = true,
        failures: [String] = []
    ) {
        self.resources = resources
        self.absent = absent
        self.complete = complete && failures.isEmpty
        self.failures = failures
    }
}

/// One row of the inventory: an object Lakegate created (or adopted) for a product and target.
public struct InventoryEntry: Sendable, Hashable, Codable {
    public var product: String
    public var target: String
    public var key: String
    public var kind: ResourceKind
    public var name: String
    public var liveID: String

    public init(product: String, target: String, key: String, kind: ResourceKind, name: String, liveID: String) {
        self.product = product
        self.target = target
        self.key = key
        self.kind = kind
        self.name = name
        self.liveID = liveID
    }
}

/// The ownership markers Lakegate puts on every object it creates.
public enum OwnershipMarker {
    /// Tag or property naming the product.
    public static let productKey = "lakegate.product"
    /// Tag or property naming the target.
    public static let targetKey = "lakegate.target"
}
