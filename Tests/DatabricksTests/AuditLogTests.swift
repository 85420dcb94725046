import Databricks
import Foundation
import LakegateCore
import TestSupport
import Testing

/// `system.access.audit` of the emulator, read with ``DatabricksClient/auditEvents(since:warehouseID:)``: every
/// state-changing request is an event, reads are not, and the time bound holds.
@Suite("Audit log (system.access.audit)")
struct AuditLogTests {
    @Test("REST and SQL changes are logged with the names they changed; reads and SELECTs are not")
    func changesAreLogged() async throws {
        let emulator = try await InProcessEmulator()
        let client = try emulator.client()
        let start = Date().addingTimeInterval(-1)
        _ = try await client.call("POST", "/api/2.1/unity-catalog/catalogs", body: ["name": "sales"])
        _ = try await client.call(
            "POST", "/api/2.1/unity-catalog/schemas", body: ["name": "crm", "catalog_name": "sales"])
        _ = try await client.executeSQL(
            "CREATE TABLE crm.orders (id BIGINT)", warehouseID: InProcessEmulator.warehouseID, catalog: "sales")
        _ = try await client.executeSQL(
            "ALTER TABLE sales.crm.orders SET TAGS ('pii' = 'no')", warehouseID: InProcessEmulator.warehouseID)
        _ = try await client.getCatalog("sales")
        _ = try await client.executeSQL(
            "SELECT * FROM sales.information_schema.table_tags", warehouseID: InProcessEmulator.warehouseID)
        _ = try await client.call(
            "PATCH", "/api/2.1/unity-catalog/schemas/sales.crm", body: ["comment": "by hand"])

        let events = try await client.auditEvents(since: start, warehouseID: InProcessEmulator.warehouseID)
        let summary = events.map {
            "\($0.service) \($0.action) \($0.parameters["full_name_arg"] ?? $0.parameters["name"] ?? "")"
        }
        #expect(
            summary == [
                "unityCatalog createCatalog sales", "unityCatalog createSchema crm",
                "databrickssql commandSubmit ", "unityCatalog createTable sales.crm.orders",
                "databrickssql commandSubmit ", "unityCatalog updateTables sales.crm.orders",
                "unityCatalog updateSchema sales.crm",
            ], "\(summary)")
        #expect(events.allSatisfy { $0.user == "emulator-user@lakegate.local" && $0.statusCode == 200 })
        #expect(Set(events.map(\.id)).count == events.count)
        #expect(events.map(\.time) == events.map(\.time).sorted())

        // The bound: nothing at or after a moment after the last change.
        let later = try await client.auditEvents(
            since: events.last!.time.addingTimeInterval(0.002), warehouseID: InProcessEmulator.warehouseID)
        #expect(later.isEmpty, "\(later)")
    }

    @Test("a principal without access to system.access fails the query with the SQL error")
    func deniedIsAnError() async throws {
        let emulator = try await InProcessEmulator()
        try await emulator.setFaults(["audit_log_denied": true])
        let client = try emulator.client()
        await #expect(throws: DatabricksError.self) {
            _ = try await client.auditEvents(since: Date(), warehouseID: InProcessEmulator.warehouseID)
        }
        do {
            _ = try await client.auditEvents(since: Date(), warehouseID: InProcessEmulator.warehouseID)
        } catch let error as DatabricksError {
            #expect(error.kind == .sqlStatementFailed && error.message.contains("system.access"), "\(error)")
        }
    }
}
