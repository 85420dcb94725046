import Foundation

/// The rows a statement produced; DDL produces none.
public struct SQLResult: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: SQLType
    }

    public var columns: [Column] = []
    public var rows: [[String?]] = []
}
