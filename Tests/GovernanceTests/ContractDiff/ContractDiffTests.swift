import Foundation
import LakegateCore
import Testing

@testable import Governance

@Suite("ContractDiff")
struct ContractDiffTests {
    static let base = """
        apiVersion: v3.1.0
        kind: DataContract
        id: orders
        version: 1.0.0
        schema:
          - name: orders
            physicalName: orders_v1
            properties:
              - name: order_id
                logicalType: string
                required: true
                primaryKey: true
              - name: email
                logicalType: string
                classification: restricted
                tags: [pii]
                logicalTypeOptions: {maxLength: 254}
                customProperties: [{property: ucColumnMask, value: gov.masks.email}]
              - name: amount
                logicalType: number
                required: true
        """

    func diff(_ edit: (inout String) -> Void, perspective: ContractPerspective = .consumer) throws -> ContractDiffReport
    {
        var edited = Self.base
        edit(&edited)
        let old = try ContractDocument.parse(Data(Self.base.utf8), path: "v1.yaml")
        let new = try ContractDocument.parse(Data(edited.utf8), path: "v2.yaml")
        return ContractDiff.compare(old: old, new: new, perspective: perspective)
    }

    func change(_ report: ContractDiffReport, _ path: String) -> ContractChange? {
        report.changes.first { $0.path == path }
    }

    @Test func identicalContractsHaveNoChanges() throws {
        let report = try diff { _ in }
        #expect(report.changes.isEmpty)
        #expect(!report.breaking)
    }

    @Test func removedPropertyBreaksConsumersOnly() throws {
        let edit: (inout String) -> Void = {
            $0 = $0.replacingOccurrences(
                of: "      - name: amount\n        logicalType: number\n        required: true", with: "")
        }
        let consumer = try diff(edit)
        let removed = try #require(change(consumer, "schema.orders.properties.amount"))
        #expect(removed.kind == .removed)
        #expect(removed.rule == "property-added-or-removed")
        #expect(removed.level == .error)
        // Children of a removed element are demoted to info.
        #expect(change(consumer, "schema.orders.properties.amount.required")?.level == .info)
        #expect(consumer.breaking)
        #expect(try !diff(edit, perspective: .producer).breaking)
    }

    @Test func requiredLoosenedAndTypeChanged() throws {
        let report = try diff {
            $0 = $0.replacingOccurrences(
                of: "logicalType: number\n        required: true", with: "logicalType: integer")
        }
        #expect(change(report, "schema.orders.properties.amount.required")?.direction == .loosens)
        #expect(change(report, "schema.orders.properties.amount.required")?.level == .error)
        let type = try #require(change(report, "schema.orders.properties.amount.logicalType"))
        #expect(type.direction == .both)
        #expect(type.old == "number" && type.new == "integer")
    }

    @Test func tighterMaxLengthBreaksProducers() throws {
        let edit: (inout String) -> Void = {
            $0 = $0.replacingOccurrences(of: "maxLength: 254", with: "maxLength: 100")
        }
        let path = "schema.orders.properties.email.logicalTypeOptions.maxLength"
        #expect(try change(diff(edit), path)?.level == .info)
        #expect(try change(diff(edit, perspective: .producer), path)?.level == .error)
    }

    @Test func governanceRulesAreErrorsForBothPerspectives() throws {
        for perspective in ContractPerspective.allCases {
            let loosened = try diff(
                { $0 = $0.replacingOccurrences(of: "classification: restricted", with: "classification: public") },
                perspective: perspective)
            #expect(
                change(loosened, "schema.orders.properties.email.classification")?.rule == "classification-loosened")
            #expect(loosened.breaking)
            let untagged = try diff(
                { $0 = $0.replacingOccurrences(of: "tags: [pii]", with: "tags: [gdpr]") }, perspective: perspective)
            #expect(untagged.changes.contains { $0.rule == "pii-tag-removed" && $0.level == .error })
            let unmasked = try diff(
                {
                    $0 = $0.replacingOccurrences(
                        of: "customProperties: [{property: ucColumnMask, value: gov.masks.email}]", with: "")
                },
                perspective: perspective)
            #expect(change(unmasked, "schema.orders.properties.email.customProperties")?.rule != nil)
            #expect(unmasked.changes.contains { $0.rule == "column-mask-removed" && $0.level == .error })
            let renamed = try diff(
                { $0 = $0.replacingOccurrences(of: "orders_v1", with: "orders_v2") }, perspective: perspective)
            #expect(change(renamed, "schema.orders.physicalName")?.level == .error)
        }
    }

    @Test func tighterClassificationIsInfo() throws {
        let report = try diff {
            $0 = $0.replacingOccurrences(
                of: "logicalType: number", with: "logicalType: number\n        classification: internal")
        }
        #expect(report.changes.count == 1)
        #expect(report.changes[0].level == .info)
        #expect(!report.breaking)
    }

    @Test func propertiesMatchByNameNotPosition() throws {
        // Reordering properties is no change at all.
        let reordered = Self.base.replacingOccurrences(
            of: "\n      - name: amount\n        logicalType: number\n        required: true", with: ""
        ).replacingOccurrences(
            of: "    properties:\n",
            with: "    properties:\n      - name: amount\n        logicalType: number\n        required: true\n")
        let old = try ContractDocument.parse(Data(Self.base.utf8), path: "v1.yaml")
        let new = try ContractDocument.parse(Data(reordered.utf8), path: "v2.yaml")
        #expect(new != old)
        #expect(ContractDiff.compare(old: old, new: new).changes.isEmpty)
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let report = try diff { $0 = $0.replacingOccurrences(of: "version: 1.0.0", with: "version: 1.1.0") }
        let json = report.jsonValue
        #expect(json["breaking"] == false)
        let first = try #require(json["changes"]?.arrayValue?.first)
        #expect(first["path"] == "version")
        #expect(first["change"] == "updated")
        #expect(first["rule"] == "metadata-or-unknown-change")
        #expect(first["level"] == "info")
        #expect(first["old"] == "1.0.0" && first["new"] == "1.1.0")
    }

    @Test func badYAMLReportsPathLineAndColumn() {
        #expect {
            _ = try ContractDocument.parse(Data("schema:\n  - name: a\n    properties: [\n".utf8), path: "c.yaml")
        } throws: { error in
            guard let list = error as? DiagnosticList, let first = list.diagnostics.first else { return false }
            return first.location.path == "c.yaml" && first.location.line >= 3
        }
        #expect(throws: DiagnosticList.self) {
            _ = try ContractDocument.parse(Data("schema:\n  - physicalName: x\n".utf8), path: "c.yaml")
        }
    }
}
