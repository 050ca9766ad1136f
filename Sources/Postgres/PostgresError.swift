/// An error from the server, from libpq, or from decoding a value.
///
/// `description` names the kind, the SQLSTATE and the schema objects involved (table, column, constraint), never
/// the server's message text or detail: those can quote parameter values ("Key (orgnr)=(…) already exists"), and
/// a description ends up in logs. Read `serverMessage`, `detail` and `hint` on purpose where a user should see them.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server answered with an error (see `sqlState`).
        case server
        /// The connection could not be made or was lost.
        case connection
        /// A value could not be decoded into the Swift type asked for.
        case decoding
        /// A value could not be encoded for the server.
        case encoding
        /// The query ran past its timeout and was cancelled.
        case timeout
        /// The Swift task was cancelled and the query with it.
        case cancelled
        /// No connection became free within the pool's acquire timeout.
        case poolTimeout
        /// The pool or connection was closed.
        case closed
        /// The wrapper was used in a way it does not allow (e.g. a COPY command given to `query`).
        case misuse
    }

    public var kind: Kind
    /// The five-character SQLSTATE code, e.g. `23505` for a unique violation.
    public var sqlState: String?
    /// The server's (or libpq's) primary message. May contain values; not part of `description`.
    public var serverMessage: String?
    public var detail: String?
    public var hint: String?
    public var severity: String?
    public var schema: String?
    public var table: String?
    public var column: String?
    public var constraint: String?
    public var dataType: String?
    /// Where the error arose in a query: the 1-based character position, when the server gives one.
    public var position: Int?

    public init(
        kind: Kind, sqlState: String? = nil, serverMessage: String? = nil, detail: String? = nil, hint: String? = nil,
        table: String? = nil, column: String? = nil, constraint: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.serverMessage = serverMessage
        self.detail = detail
        self.hint = hint
        self.table = table
        self.column = column
        self.constraint = constraint
    }

    public var description: String {
        var parts = ["PostgresError(\(kind)"]
        if let sqlState { parts.append("sqlstate \(sqlState)") }
        if let schema, let table { parts.append("table \(schema).\(table)") } else if let table { parts.append("table \(table)") }
        if let column { parts.append("column \(column)") }
        if let constraint { parts.append("constraint \(constraint)") }
        if let dataType { parts.append("type \(dataType)") }
        return parts.joined(separator: ", ") + ")"
    }

    /// The full text, message and detail included: for a person at a terminal, not for logs.
    public var fullDescription: String {
        var text = description
        if let serverMessage { text += ": \(serverMessage)" }
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }

    /// True for the two failures a transaction retries: serialization failure (40001) and deadlock (40P01).
    public var isTransient: Bool {
        sqlState == "40001" || sqlState == "40P01"
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    public var isCheckViolation: Bool { sqlState == "23514" }
    public var isRaisedException: Bool { sqlState == "P0001" }
}

extension PostgresError {
    static func connection(_ message: String) -> PostgresError {
        PostgresError(kind: .connection, sqlState: "08006", serverMessage: message)
    }

    static func misuse(_ message: String) -> PostgresError {
        PostgresError(kind: .misuse, serverMessage: message)
    }

    static let closed = PostgresError(kind: .closed, serverMessage: "the connection is closed")
}
