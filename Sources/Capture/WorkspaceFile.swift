import Foundation

/// A notebook or file read from the workspace for capture.
public struct WorkspaceFile: Sendable, Hashable {
    /// The workspace path as the API gives it.
    public var path: String
    /// The notebook language (`PYTHON`, `SQL`, `SCALA`, `R`); nil for a plain file.
    public var language: String?
    /// The exported source.
    public var content: Data

    public init(path: String, language: String?, content: Data) {
        self.path = path
        self.language = language
        self.content = content
    }

    /// `path` without the `/Workspace` prefix the file-system view of the workspace adds.
    public static func normalized(_ path: String) -> String {
        if path == "/Workspace" { return "/" }
        return path.hasPrefix("/Workspace/") ? String(path.dropFirst("/Workspace".count)) : path
    }
}
