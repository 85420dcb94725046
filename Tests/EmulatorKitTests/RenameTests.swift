import Foundation
import LakegateCore
import Testing

@testable import EmulatorKit

/// `PATCH … {new_name}` of every renamable object: the object moves, a taken name is refused and changes nothing.
@Suite struct RenameTests {
    let workspace: Workspace

    init() throws {
        workspace = try Workspace(configuration: EmulatorConfiguration())
    }

    @discardableResult
    func call(_ method: String, _ path: String, _ body: JSONValue = [:]) async -> (Int, JSONValue) {
        let response = await workspace.handle(
            EmulatorRequest(method: method, path: path, body: Data(body.canonicalJSON.utf8)))
        return (response.status, (try? JSONValue(parsing: response.body)) ?? .null)
    }

    @Test(
        arguments: [
            ("schemas", "c.s", "c.s2", "c.taken", "SCHEMA_ALREADY_EXISTS", "c.s2"),
            ("volumes", "c.s.v", "c.s.v2", "c.s.taken", "VOLUME_ALREADY_EXISTS", "c.s.v2"),
            ("shares", "sh", "sh2", "taken", "SHARE_ALREADY_EXISTS", nil),
            ("recipients", "r", "r2", "taken", "RECIPIENT_ALREADY_EXISTS", nil),
            ("catalogs", "c", "c2", "taken", "CATALOG_ALREADY_EXISTS", "c2"),
        ] as [(String, String, String, String, String, String?)])
    func renameMovesTheObjectAndRefusesATakenName(
        collection: String, key: String, renamed: String, taken: String, conflict: String,
        fullName: String?
    ) async {
        let uc = "/api/2.1/unity-catalog"
        await call("POST", "\(uc)/catalogs", ["name": "c"])
        await call("POST", "\(uc)/catalogs", ["name": "taken"])
        await call("POST", "\(uc)/schemas", ["name": "s", "catalog_name": "c"])
        await call("POST", "\(uc)/schemas", ["name": "taken", "catalog_name": "c"])
        for name in ["v", "taken"] {
            await call(
                "POST", "\(uc)/volumes",
                ["name": .string(name), "catalog_name": "c", "schema_name": "s", "volume_type": "MANAGED"])
        }
        for name in ["sh", "taken"] { await call("POST", "\(uc)/shares", ["name": .string(name)]) }
        for name in ["r", "taken"] {
            await call("POST", "\(uc)/recipients", ["name": .string(name), "authentication_type": "TOKEN"])
        }

        let newName = String(taken.split(separator: ".").last!)
        let (refused, error) = await call("PATCH", "\(uc)/\(collection)/\(key)", ["new_name": .string(newName)])
        #expect(refused == 409)
        #expect(error["error_code"]?.stringValue == conflict)
        #expect(await call("GET", "\(uc)/\(collection)/\(key)").0 == 200)

        let shortName = String(renamed.split(separator: ".").last!)
        let (status, _) = await call("PATCH", "\(uc)/\(collection)/\(key)", ["new_name": .string(shortName)])
        #expect(status == 200)
        #expect(await call("GET", "\(uc)/\(collection)/\(key)").0 == 404)
        let (found, moved) = await call("GET", "\(uc)/\(collection)/\(renamed)")
        #expect(found == 200)
        #expect(moved["name"]?.stringValue == shortName)
        #expect(moved["full_name"]?.stringValue == fullName)
    }
}
