import Foundation

/// Why a statement failed: the `error_code` and message of the FAILED statement status.
public struct SQLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `PARSE_SYNTAX_ERROR`, `TABLE_OR_VIEW_NOT_FOUND`, `UNSUPPORTED_FEATURE`, …
    public var code: String
    public var message: String
    /// The ANSI SQLSTATE.
    public var sqlState: String

    public var description: String { "[\(code)] \(message)" }

    static func syntax(_ message: String, at offset: Int) -> SQLError {
        SQLError(
            code: "PARSE_SYNTAX_ERROR", message: "Syntax error at or near position \(offset + 1): \(message)",
            sqlState: "42601")
    }

    static func unsupported(_ what: String) -> SQLError {
        SQLError(
            code: "UNSUPPORTED_FEATURE",
            message: "The lakegate emulator does not support \(what). See docs/emulator.md for the supported SQL.",
            sqlState: "0A000")
    }

    static func tableNotFound(_ name: String) -> SQLError {
        SQLError(
            code: "TABLE_OR_VIEW_NOT_FOUND", message: "The table or view `\(name)` cannot be found.", sqlState: "42P01")
    }

    static func schemaNotFound(_ name: String) -> SQLError {
        SQLError(code: "SCHEMA_NOT_FOUND", message: "The schema `\(name)` cannot be found.", sqlState: "42704")
    }

    static func columnNotFound(_ name: String, table: String) -> SQLError {
        SQLError(
            code: "UNRESOLVED_COLUMN",
            message: "A column with name `\(name)` cannot be resolved in table `\(table)`.", sqlState: "42703")
    }

    static func alreadyExists(_ name: String) -> SQLError {
        SQLError(
            code: "TABLE_OR_VIEW_ALREADY_EXISTS",
            message: "Cannot create table or view `\(name)` because it already exists.",
            sqlState: "42P07")
    }
}
