import Descriptors
import Foundation
import LakegateCore
import TestSupport
import Testing

/// A small deterministic random generator (SplitMix64), so that every run makes the same mutations.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Mutations")
struct MutationTests {
    static func mutate(_ data: Data, _ rng: inout SeededGenerator) -> Data {
        var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        guard !lines.isEmpty else { return data }
        let index = Int.random(in: 0..<lines.count, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: lines.remove(at: index)
        case 1: lines.insert(lines[index], at: index)
        case 2:
            var chars = Array(lines[index])
            if !chars.isEmpty {
                let at = Int.random(in: 0..<chars.count, using: &rng)
                chars[at] = [" ", ":", "-", "{", "[", "$", "x", "\t", "'", "&", "*", "#"].randomElement(using: &rng)!
                lines[index] = String(chars)
            }
        case 3: lines = Array(lines.prefix(index))
        case 4: lines[index] = "  " + lines[index]
        default:
            var bytes = Array(data)
            if !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= 0x41 }
            return Data(bytes)
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    @Test(arguments: ["customer-360", "orders"])
    func mutatedExamplesNeverCrash(example: String) throws {
        let root = Paths.example(example)
        let disk = DirectoryFileSource(root: root)
        var files: [String: Data] = [:]
        for path in try disk.list("") { files[path] = try disk.read(path) }
        let yamlFiles = files.keys.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }
            .sorted()
        var rng = SeededGenerator(state: example == "orders" ? 7 : 2026)
        var failures = 0
        var successes = 0
        for _ in 0..<150 {
            var mutated = files
            let file = yamlFiles.randomElement(using: &rng)!
            mutated[file] = Self.mutate(files[file]!, &rng)
            if Bool.random(using: &rng) {
                let other = yamlFiles.randomElement(using: &rng)!
                mutated[other] = Self.mutate(mutated[other]!, &rng)
            }
            let source = MemoryFileSource(files: mutated)
            let diagnostics = ProductLoader.validate(source)
            if diagnostics.isEmpty {
                let product = try ProductLoader.load(source)
                for target in product.targets { _ = try product.render(target: target) }
                successes += 1
            } else {
                for diagnostic in diagnostics {
                    #expect(!diagnostic.message.isEmpty)
                    #expect(mutated[diagnostic.location.path] != nil || diagnostic.location.path == ".")
                }
                failures += 1
            }
        }
        #expect(failures + successes == 150)
        #expect(failures > 0)
    }
}
