import Descriptors
import Foundation
import LakegateCore
import TestSupport
import Testing

/// Whatever can be known before the first write is checked at validation: file sizes against the API limits,
/// file kinds, symbolic links and encodings. Each case names the file (and the line where there is one).
@Suite("Pre-write checks")
struct PreWriteCheckTests {
    @Test("a notebook over the Workspace import limit fails validation instead of being planned with an empty digest")
    func oversizedNotebook() throws {
        let copy = try ProductFixture.copy(example: "customer-360")
        defer { copy.remove() }
        let notebook = copy.url.appendingPathComponent("src/ingest_customers.py")
        var text = try String(contentsOf: notebook, encoding: .utf8)
        text += String(repeating: "# padding\n", count: (11 << 20) / 10)
        try Data(text.utf8).write(to: notebook)
        let diagnostics = ProductFixture.diagnostics(copy.url)
        #expect(
            diagnostics.contains {
                $0.hasPrefix("src/ingest_customers.py:0:0: file is ")
                    && $0.hasSuffix("bytes, over the 10485760 bytes (10 MB) the Workspace import API accepts")
            }, "\(diagnostics)")
    }

    @Test("a notebook over the file source limit cannot be read, and the render refuses it")
    func unreadableNotebook() throws {
        let copy = try ProductFixture.copy(example: "customer-360")
        defer { copy.remove() }
        try Data(count: 17 << 20).write(to: copy.url.appendingPathComponent("src/ingest_customers.py"))
        let diagnostics = ProductFixture.diagnostics(copy.url, target: "dev")
        #expect(
            diagnostics.contains {
                $0.contains("src/ingest_customers.py:0:0: file is 17825792 bytes, over the limit of 16777216")
            }, "\(diagnostics)")
        #expect(
            diagnostics.contains {
                $0.contains("notebook 'src/ingest_customers.py' cannot be read, so it cannot be planned")
            }, "\(diagnostics)")
        #expect(throws: DiagnosticList.self) {
            try ProductLoader.load(DirectoryFileSource(root: copy.url)).render(target: "dev")
        }
    }

    @Test("symbolic links out of the product, to a device or in a loop are refused by name, never skipped")
    func symbolicLinks() throws {
        for (target, reason) in [
            ("/dev/zero", "symbolic link zero.odcs.yaml -> /dev/zero leaves the product directory"),
            ("../../outside.yaml", "symbolic link zero.odcs.yaml -> ../../outside.yaml leaves the product directory"),
            ("zero.odcs.yaml", "too many symbolic links"),
        ] {
            let copy = try ProductFixture.copy(example: "orders")
            defer { copy.remove() }
            try FileManager.default.createSymbolicLink(
                atPath: copy.url.appendingPathComponent("contracts/zero.odcs.yaml").path, withDestinationPath: target)
            #expect(ProductFixture.diagnostics(copy.url) == ["contracts/zero.odcs.yaml:0:0: \(reason)"])
        }
    }

    @Test("a link to a file inside the product is read like the file")
    func linkInside() throws {
        let copy = try ProductFixture.copy(example: "orders")
        defer { copy.remove() }
        try FileManager.default.moveItem(
            at: copy.url.appendingPathComponent("contracts/orders.odcs.yaml"),
            to: copy.url.appendingPathComponent("shared.yaml"))
        try FileManager.default.createSymbolicLink(
            atPath: copy.url.appendingPathComponent("contracts/orders.odcs.yaml").path,
            withDestinationPath: "../shared.yaml")
        #expect(ProductFixture.diagnostics(copy.url) == [])
    }

    @Test("a named pipe is named as one (and never opened, which would block)")
    func namedPipe() throws {
        let copy = try ProductFixture.copy(example: "orders")
        defer { copy.remove() }
        let path = copy.url.appendingPathComponent("contracts/pipe.odcs.yaml").path
        #expect(mkfifo(path, 0o644) == 0)
        #expect(
            ProductFixture.diagnostics(copy.url)
                == ["contracts/pipe.odcs.yaml:0:0: is a named pipe; only regular files are read"])
        #expect {
            try DirectoryFileSource(root: copy.url).read("contracts/pipe.odcs.yaml")
        } throws: { "\($0)" == "contracts/pipe.odcs.yaml: is a named pipe; only regular files are read" }
    }

    @Test("a control character in a resource file is reported at its line and column, not 0:0")
    func controlCharacter() throws {
        let copy = try ProductFixture.copy(example: "customer-360")
        defer { copy.remove() }
        try ProductFixture.edit(
            copy.url, "resources/storage.yml", "comment: Curated customer master data",
            "comment: Curated customer\u{01} master data")
        let diagnostics = ProductFixture.diagnostics(copy.url)
        #expect(
            diagnostics.contains("resources/storage.yml:20:32: control character U+0001 is not allowed in YAML text"),
            "\(diagnostics)")
    }
}
