import CGit2

/// A libgit2 call failed: which function, its return code and libgit2's own message.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// The C function that failed, e.g. `git_remote_fetch`.
    public var function: String
    /// The libgit2 return code (negative).
    public var code: Int32
    /// `git_error_last()` at the time of the failure.
    public var message: String

    /// Captures `git_error_last()` right after `function` returned `code`.
    static func last(_ function: String, _ code: Int32) -> GitError {
        var message = "unknown error"
        if let error = git_error_last(), let text = error.pointee.message {
            message = String(cString: text)
        }
        return GitError(function: function, code: code, message: message)
    }

    /// Whether libgit2 reported that the object or reference does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    public var description: String { "\(function) failed (\(code)): \(message)" }
}

/// Calls a libgit2 function and throws ``GitError`` on a negative return.
@discardableResult
func check(_ function: String, _ code: Int32) throws(GitError) -> Int32 {
    if code < 0 { throw GitError.last(function, code) }
    return code
}

/// libgit2 is initialised once per process, before the first handle is made.
enum LibGit2 {
    private static let initialised: Bool = {
        git_libgit2_init()
        return true
    }()

    static func ensureInitialised() {
        _ = initialised
    }
}
