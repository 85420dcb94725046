/// An error from PostgreSQL or libpq, with what was being done; never carries the password.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// The SQLSTATE code when the server sent one (`40P01`, `23505`, …).
    public var sqlState: String?
    /// What was being done (`connect postgres://lakegate@db/lakegate`, `query SELECT …`).
    public var operation: String
    /// libpq's message.
    public var message: String

    public init(sqlState: String? = nil, operation: String, message: String) {
        self.sqlState = sqlState
        self.operation = operation
        self.message = message
    }

    public var description: String {
        "postgresql: \(operation): \(message)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
    }
}
