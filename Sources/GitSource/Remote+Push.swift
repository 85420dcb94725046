import CGit2
import Foundation

extension Remote {
    /// Pushes `refspecs` (e.g. `refs/tags/v1.0.0:refs/tags/v1.0.0`); a ref the remote refuses is an error naming it.
    public func push(refspecs: [String]) throws {
        var options = git_push_options()
        try check("git_push_options_init", git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)))
        options.callbacks = try callbacks()
        credentials.attempts = 0
        credentials.refusals = []
        options.callbacks.push_update_reference = { reference, status, payload in
            guard let status, let payload else { return 0 }
            let box = Unmanaged<CredentialBox>.fromOpaque(payload).takeUnretainedValue()
            box.refusals.append("\(reference.map { String(cString: $0) } ?? "?"): \(String(cString: status))")
            return 0
        }
        var cStrings = refspecs.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        try cStrings.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            try check("git_remote_push", git_remote_push(handle, &array, &options))
        }
        if !credentials.refusals.isEmpty {
            throw GitError(
                function: "git_remote_push", code: -1,
                message: "the remote refused " + credentials.refusals.joined(separator: "; "))
        }
    }

    /// The branch the remote's `HEAD` points at (`refs/heads/main`).
    public func defaultBranch() throws -> String {
        var callbacks = try callbacks()
        try check("git_remote_connect", git_remote_connect(handle, GIT_DIRECTION_FETCH, &callbacks, nil, nil))
        defer { git_remote_disconnect(handle) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check("git_remote_default_branch", git_remote_default_branch(&buffer, handle))
        return String(decoding: UnsafeRawBufferPointer(start: buffer.ptr, count: buffer.size), as: UTF8.self)
    }
}
