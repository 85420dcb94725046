import Foundation

/// The default catalog and schema a statement's one- and two-part names resolve against.
struct SQLSession {
    var catalog: String?
    var schema: String?
    var principal: String
    var now: Int64

    /// `[catalog, schema, object]` for a one-, two- or three-part name.
    func resolve(_ name: QualifiedName) throws(SQLError) -> [String] {
        let parts = name.parts.map { $0.lowercased() }
        switch parts.count {
        case 3: return parts
        case 2:
            guard let catalog else { throw noDefaultCatalog(name) }
            return [catalog.lowercased()] + parts
        default:
            guard let catalog else { throw noDefaultCatalog(name) }
            return [catalog.lowercased(), (schema ?? "default").lowercased()] + parts
        }
    }

    func noDefaultCatalog(_ name: QualifiedName) -> SQLError {
        SQLError(
            code: "INVALID_SCHEMA_OR_RELATION_NAME",
            message: "`\(name)` needs a catalog: qualify it or pass `catalog` with the statement.", sqlState: "42602")
    }
}
