import Testing

@testable import Descriptors

/// `include:` patterns: wildcards stay within a path segment, `**` spans segments.
@Suite struct GlobTests {
    @Test(arguments: [
        ("resources/*.yml", "resources/jobs.yml", true), ("resources/*.yml", "resources/sub/jobs.yml", false),
        ("resources/**/*.yml", "resources/sub/deep/jobs.yml", true), ("resources/**/*.yml", "resources/jobs.yml", true),
        ("**", "a/b/c", true), ("resources/?obs.yml", "resources/jobs.yml", true), ("*.yml", "a/b.yml", false),
        ("resources/*", "resources", false), ("resources//*.yml", "resources/a.yml", true),
        ("resources/*.yml", "resources/jobs.yaml", false), ("res*/*.yml", "resources/x.yml", true),
    ])
    func matchesProductRelativePaths(pattern: String, path: String, expected: Bool) {
        #expect(Glob.matches(pattern, path) == expected)
    }
}
