import Foundation
import LakegateCore
import Testing

@testable import EmulatorKit

@Suite("Seeded faults")
struct FaultSeedTests {
    /// The statuses of `count` warehouse listings against a fresh workspace with `faults`.
    private func statuses(_ faults: FaultSettings, count: Int = 40) async throws -> [Int] {
        let workspace = try Workspace(configuration: EmulatorConfiguration(faults: faults))
        var statuses: [Int] = []
        for _ in 0..<count {
            statuses.append(
                await workspace.handle(EmulatorRequest(method: "GET", path: "/api/2.0/sql/warehouses")).status)
        }
        return statuses
    }

    @Test("the same seed answers the same requests 503, at about the configured rate")
    func sameSeedSameFaults() async throws {
        let first = try await statuses(FaultSettings(errorRate: 0.3, seed: 7))
        let second = try await statuses(FaultSettings(errorRate: 0.3, seed: 7))
        #expect(first == second)
        let unavailable = first.filter { $0 == 503 }.count
        #expect((4...20).contains(unavailable))
        #expect(Set(first) == [200, 503])
        #expect(try await statuses(FaultSettings(errorRate: 0.3, seed: 8)) != first)
    }

    @Test("a reset or a new seed over the control endpoint restarts the sequence")
    func resetRestartsTheSequence() async throws {
        let workspace = try Workspace(configuration: EmulatorConfiguration(faults: FaultSettings(errorRate: 0.5)))
        let set = await workspace.handle(
            EmulatorRequest(method: "POST", path: "/_emulator/faults", body: Data(#"{"seed": 3}"#.utf8)))
        #expect(try JSONValue(parsing: set.body)["seed"] == 3)
        var runs: [[Int]] = []
        for _ in 0..<2 {
            var statuses: [Int] = []
            for _ in 0..<20 {
                statuses.append(
                    await workspace.handle(EmulatorRequest(method: "GET", path: "/api/2.0/sql/warehouses")).status)
            }
            runs.append(statuses)
            _ = await workspace.handle(
                EmulatorRequest(method: "POST", path: "/_emulator/faults", body: Data(#"{"seed": 3}"#.utf8)))
        }
        #expect(runs[0] == runs[1])
        let bad = await workspace.handle(
            EmulatorRequest(method: "POST", path: "/_emulator/faults", body: Data(#"{"seed": -1}"#.utf8)))
        #expect(bad.status == 400)
    }
}
