import CGit2
import Foundation

extension Repository {
    /// Writes an annotated tag object `name` → `target` and creates `refs/tags/<name>`; returns the tag object.
    ///
    /// The object is laid out as `git tag` writes it; when `sign` is given it receives the object's bytes and
    /// returns an armoured signature that is appended, as git does for `git tag -s`. An existing tag of that
    /// name is never replaced.
    public func createAnnotatedTag(
        name: String, target: ObjectID, message: String, tagger: GitIdentity, date: Date = Date(),
        sign: ((Data) throws -> Data)? = nil
    ) throws -> ObjectID {
        guard Self.isValidReferenceName("refs/tags/\(name)") else {
            throw GitError(function: "git_reference_name_is_valid", code: -1, message: "invalid tag name '\(name)'")
        }
        if try reference("refs/tags/\(name)") != nil {
            throw GitError(
                function: "git_tag_create", code: GIT_EEXISTS.rawValue, message: "tag \(name) already exists")
        }
        guard !(tagger.name + tagger.email).contains(where: { "<>\n".contains($0) }) else {
            throw GitError(function: "git_tag_create", code: -1, message: "invalid tagger identity \(tagger)")
        }
        let kind = try rawObject(target).kind
        var text = "object \(target.hex)\ntype \(kind.rawValue)\ntag \(name)\n"
        text += "tagger \(tagger.name) <\(tagger.email)> \(Int(date.timeIntervalSince1970)) \(Self.offset(date))\n\n"
        text += message.hasSuffix("\n") ? message : message + "\n"
        var buffer = Data(text.utf8)
        if let sign { buffer.append(try sign(buffer)) }
        var id = git_oid()
        let code = buffer.withUnsafeBytes { bytes -> Int32 in
            // git_tag_create_from_buffer wants a C string; the object has no NUL bytes.
            var terminated = [CChar](bytes.bindMemory(to: CChar.self))
            terminated.append(0)
            return git_tag_create_from_buffer(&id, handle, terminated, 0)
        }
        try check("git_tag_create_from_buffer", code)
        return ObjectID(id)
    }

    /// Whether `name` (a full `refs/…` name) is a valid reference name.
    public static func isValidReferenceName(_ name: String) -> Bool {
        LibGit2.ensureInitialised()
        var valid: Int32 = 0
        return git_reference_name_is_valid(&valid, name) == 0 && valid == 1
    }

    /// `+HHMM` / `-HHMM` of the local time zone at `date`, as git writes it.
    static func offset(_ date: Date) -> String {
        let minutes = TimeZone.current.secondsFromGMT(for: date) / 60
        return String(format: "%@%02d%02d", minutes < 0 ? "-" : "+", abs(minutes) / 60, abs(minutes) % 60)
    }
}
