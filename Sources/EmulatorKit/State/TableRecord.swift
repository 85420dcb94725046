import Foundation
import LakegateCore

/// A Unity Catalog table as the SQL engine and the tables API share it.
struct TableRecord: Codable, Sendable {
    var catalogName: String
    var schemaName: String
    var name: String
    var tableType: String
    var dataSourceFormat: String
    var comment: String?
    var owner: String
    var properties: [String: String]
    var columns: [ColumnRecord]
    var partitionColumns: [String]
    var clusterColumns: [String]
    var rowFilter: RowFilterRecord?
    var tableID: String
    var createdAt: Int64
    var createdBy: String
    var updatedAt: Int64
    var updatedBy: String
    /// A view's query (`table_type` VIEW); nil for tables.
    var viewDefinition: String? = nil

    var fullName: String { "\(catalogName).\(schemaName).\(name)" }

    /// The `TableInfo` JSON of the tables API.
    func info(omitColumns: Bool = false, omitProperties: Bool = false, omitUsername: Bool = false) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name), "catalog_name": .string(catalogName), "schema_name": .string(schemaName),
            "full_name": .string(fullName), "table_type": .string(tableType),
            "data_source_format": .string(dataSourceFormat), "table_id": .string(tableID),
            "storage_location": .string("s3://lakegate-emulator/metastore/tables/\(tableID)"),
            "created_at": .int(createdAt), "updated_at": .int(updatedAt),
        ]
        if !omitUsername {
            object["owner"] = .string(owner)
            object["created_by"] = .string(createdBy)
            object["updated_by"] = .string(updatedBy)
        }
        if let comment { object["comment"] = .string(comment) }
        if let viewDefinition {
            object["view_definition"] = .string(viewDefinition)
            object["data_source_format"] = nil
            object["storage_location"] = nil
        }
        if !omitProperties {
            var properties = properties
            if !clusterColumns.isEmpty {
                properties["clusteringColumns"] =
                    "[" + clusterColumns.map { "[\"\($0)\"]" }.joined(separator: ",") + "]"
            }
            object["properties"] = .object(properties.mapValues { .string($0) })
        }
        if !omitColumns {
            object["columns"] = .array(columns.enumerated().map { $0.element.info(position: $0.offset) })
        }
        if let rowFilter {
            object["row_filter"] = [
                "function_name": .string(rowFilter.functionName),
                "input_column_names": .array(rowFilter.inputColumnNames.map { .string($0) }),
            ]
        }
        return .object(object)
    }
}

/// One column of a ``TableRecord``.
struct ColumnRecord: Codable, Sendable {
    var name: String
    var type: SQLType
    var nullable: Bool
    var comment: String?
    var partitionIndex: Int?
    var mask: ColumnMaskRecord?

    func info(position: Int) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name), "position": .int(Int64(position)), "type_name": .string(type.typeName),
            "type_text": .string(type.text), "nullable": .bool(nullable),
            "type_json": .string(
                JSONValue.object([
                    "name": .string(name), "type": .string(type.jsonType), "nullable": .bool(nullable),
                    "metadata": .object(comment.map { ["comment": JSONValue.string($0)] } ?? [:]),
                ]).canonicalJSON),
        ]
        if let comment { object["comment"] = .string(comment) }
        if let partitionIndex { object["partition_index"] = .int(Int64(partitionIndex)) }
        if let mask {
            object["mask"] = [
                "function_name": .string(mask.functionName),
                "using_column_names": .array(mask.usingColumnNames.map { .string($0) }),
            ]
        }
        return .object(object)
    }
}

/// `ALTER TABLE … SET ROW FILTER fn ON (cols)`.
struct RowFilterRecord: Codable, Sendable, Equatable {
    var functionName: String
    var inputColumnNames: [String]
}

/// `ALTER COLUMN … SET MASK fn USING COLUMNS (cols)`.
struct ColumnMaskRecord: Codable, Sendable, Equatable {
    var functionName: String
    var usingColumnNames: [String]
}
