import CGit2
import Foundation

/// An open git repository (bare or not): one owned `git_repository` handle, freed in `deinit`.
///
/// Not `Sendable`: confine an instance to one task, or guard it (``GitTreeFileSource`` uses a mutex).
public final class Repository {
    let handle: OpaquePointer
    /// The path the repository was opened at.
    public let path: String

    /// Opens the repository at `path` (a work tree, its `.git` directory or a bare repository).
    public init(openingAt path: String) throws {
        LibGit2.ensureInitialised()
        var pointer: OpaquePointer?
        try check("git_repository_open", git_repository_open(&pointer, path))
        guard let pointer else { throw GitError(function: "git_repository_open", code: -1, message: "no handle") }
        self.handle = pointer
        self.path = path
    }

    /// Creates (or reopens) a bare repository at `path`.
    public init(creatingBareAt path: String) throws {
        LibGit2.ensureInitialised()
        var pointer: OpaquePointer?
        try check("git_repository_init", git_repository_init(&pointer, path, 1))
        guard let pointer else { throw GitError(function: "git_repository_init", code: -1, message: "no handle") }
        self.handle = pointer
        self.path = path
    }

    /// Takes ownership of an open handle.
    init(handle: OpaquePointer, path: String) {
        self.handle = handle
        self.path = path
    }

    deinit {
        git_repository_free(handle)
    }

    /// Resolves a revision expression (`HEAD`, `main`, `v1.0.0`, an id) to the object it names, without peeling.
    public func resolve(_ revision: String) throws -> ObjectID {
        var object: OpaquePointer?
        try check("git_revparse_single", git_revparse_single(&object, handle, revision))
        defer { git_object_free(object) }
        return ObjectID(git_object_id(object).pointee)
    }

    /// Peels any object (tag chain included) down to the commit it points at.
    public func peelToCommit(_ id: ObjectID) throws -> ObjectID {
        var oid = id.raw
        var object: OpaquePointer?
        try check("git_object_lookup", git_object_lookup(&object, handle, &oid, GIT_OBJECT_ANY))
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try check("git_object_peel", git_object_peel(&peeled, object, GIT_OBJECT_COMMIT))
        defer { git_object_free(peeled) }
        return ObjectID(git_object_id(peeled).pointee)
    }

    /// The type and raw bytes of an object, read straight from the object database.
    public func rawObject(_ id: ObjectID) throws -> (kind: ObjectKind, data: Data) {
        var odb: OpaquePointer?
        try check("git_repository_odb", git_repository_odb(&odb, handle))
        defer { git_odb_free(odb) }
        var oid = id.raw
        var object: OpaquePointer?
        try check("git_odb_read", git_odb_read(&object, odb, &oid))
        defer { git_odb_object_free(object) }
        let size = git_odb_object_size(object)
        let data = size == 0 ? Data() : Data(bytes: git_odb_object_data(object), count: size)
        guard let kind = ObjectKind(git_odb_object_type(object)) else {
            throw GitError(function: "git_odb_read", code: -1, message: "object \(id) has an unknown type")
        }
        return (kind, data)
    }

    /// Every reference whose name matches the glob (`refs/tags/*`), with its direct target (tags are not peeled).
    public func references(matching glob: String = "refs/*") throws -> [(name: String, target: ObjectID)] {
        var iterator: OpaquePointer?
        try check("git_reference_iterator_glob_new", git_reference_iterator_glob_new(&iterator, handle, glob))
        defer { git_reference_iterator_free(iterator) }
        var result: [(name: String, target: ObjectID)] = []
        while true {
            var reference: OpaquePointer?
            let code = git_reference_next(&reference, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try check("git_reference_next", code)
            defer { git_reference_free(reference) }
            guard let target = git_reference_target(reference) else { continue }  // symbolic
            result.append((String(cString: git_reference_name(reference)), ObjectID(target.pointee)))
        }
        return result.sorted { $0.name < $1.name }
    }

    /// The direct target of a reference, or nil when it does not exist.
    public func reference(_ name: String) throws -> ObjectID? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, handle, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check("git_reference_name_to_id", code)
        // name_to_id peels symbolic references but not tags, which is what we want.
        return ObjectID(oid)
    }
}
