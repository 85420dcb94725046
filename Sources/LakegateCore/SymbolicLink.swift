/// How product file sources follow a symbolic link: relative targets only, never above the product root, so
/// that the directory and the git-tree sources refuse the same links with the same words.
public enum SymbolicLink {
    /// The components a link named `name` in directory `base` points to.
    ///
    /// - Parameters:
    ///   - rootDepth: how many leading components of `base` lie above the product root (a git-tree prefix).
    ///   - path: the path being resolved, for the error.
    /// - Throws: ``FileSourceError`` when the target is absolute or climbs above the product root.
    public static func resolve(
        _ target: String, named name: String, in base: [String], rootDepth: Int = 0, path: String
    ) throws -> [String] {
        let leaves = FileSourceError(
            path: path, reason: "symbolic link \(name) -> \(target) leaves the product directory")
        if target.hasPrefix("/") { throw leaves }
        var resolved = base
        for component in target.split(separator: "/").map(String.init) {
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                guard resolved.count > rootDepth else { throw leaves }
                resolved.removeLast()
            } else {
                resolved.append(component)
            }
        }
        return resolved
    }
}
