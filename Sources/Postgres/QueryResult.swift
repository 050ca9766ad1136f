internal import CLibPQ
import Foundation

/// The rows and status of one executed statement. Owns its `PGresult` and clears it exactly once (in `deinit`).
public final class QueryResult: @unchecked Sendable {
    // @unchecked Sendable: a PGresult is never modified after libpq hands it over, and libpq documents that
    // "PGresult objects are normally read-only after creation, and so can be passed around freely between
    // threads". This class exposes only reads and frees the result once, when the last reference goes.
    let handle: OpaquePointer
    /// Number of rows.
    public let count: Int
    /// Number of columns.
    public let columnCount: Int

    /// The column names, read once: rows decode by name, one lookup per value (small strings compare in two words;
    /// through `PQfname` and `strcmp` the lookups were a twentieth of the daemon's time on a list).
    private let names: [String]

    init(taking handle: OpaquePointer) {
        self.handle = handle
        self.count = Int(PQntuples(handle))
        let columnCount = Int(PQnfields(handle))
        self.columnCount = columnCount
        self.names = (0..<columnCount).map { String(cString: PQfname(handle, Int32($0))) }
    }

    deinit { PQclear(handle) }

    /// The column names, in order.
    public var columns: [String] { names }

    /// The type of a column.
    public func columnType(_ index: Int) -> PostgresType { PostgresType(PQftype(handle, Int32(index))) }

    /// How many rows an INSERT, UPDATE, DELETE, MERGE, SELECT, MOVE, FETCH or COPY touched.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    /// The command tag, e.g. `INSERT 0 1`.
    public var commandTag: String { String(cString: PQcmdStatus(handle)) }

    public var rows: Rows { Rows(result: self) }

    /// The first row, if any.
    public var first: PostgresRow? { count > 0 ? PostgresRow(result: self, index: 0) : nil }

    /// The column index for a name (exact match, as the server spelled it), or nil.
    public func columnIndex(_ name: String) -> Int? { names.firstIndex(of: name) }

    /// Decodes a single value: the first column of the first row (for `SELECT count(*) …`).
    public func scalar<T: PostgresDecodable>(_ type: T.Type = T.self) throws(PostgresError) -> T {
        guard let first else {
            throw PostgresError(kind: .decoding, serverMessage: "expected one row, the query returned none")
        }
        return try first.decode(type, at: 0)
    }

    public struct Rows: RandomAccessCollection, Sendable {
        let result: QueryResult
        public var startIndex: Int { 0 }
        public var endIndex: Int { result.count }
        public subscript(position: Int) -> PostgresRow { PostgresRow(result: result, index: position) }
    }
}

/// One row of a `QueryResult`. Decode columns by position or by name.
public struct PostgresRow: Sendable {
    public let result: QueryResult
    public let index: Int

    /// Decodes the column at `position` (0-based). NULL decodes only into an Optional.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at position: Int) throws(PostgresError) -> T {
        guard position >= 0 && position < result.columnCount else {
            throw PostgresError(kind: .decoding, serverMessage: "no column at position \(position)")
        }
        let handle = result.handle
        let row = Int32(index)
        let column = Int32(position)
        let value: PostgresValue
        if PQgetisnull(handle, row, column) == 1 {
            value = PostgresValue(type: result.columnType(position), bytes: nil)
        } else {
            let length = Int(PQgetlength(handle, row, column))
            let bytes = UnsafeRawBufferPointer(start: PQgetvalue(handle, row, column), count: length)
            value = PostgresValue(type: result.columnType(position), bytes: bytes)
        }
        do {
            return try withExtendedLifetime(result) { () throws(PostgresDecodingFailure) -> T in try T.decode(value) }
        } catch {
            throw PostgresError(decoding: error, column: String(cString: PQfname(handle, column)), into: "\(T.self)")
        }
    }

    /// Decodes the column named `name`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ name: String) throws(PostgresError) -> T {
        guard let position = result.columnIndex(name) else {
            throw PostgresError(kind: .decoding, serverMessage: "no column named \(name)", column: name)
        }
        return try decode(type, at: position)
    }

    public func isNull(at position: Int) -> Bool {
        PQgetisnull(result.handle, Int32(index), Int32(position)) == 1
    }
}

extension PostgresError {
    init(decoding failure: PostgresDecodingFailure, column: String, into swiftType: String) {
        let reason: String
        var dataType: String?
        switch failure {
        case .unexpectedNull:
            reason = "is NULL but \(swiftType) is not optional"
        case .typeMismatch(let expected, let actual):
            reason = "has type \(actual), cannot decode \(swiftType) (expects \(expected))"
            dataType = actual.description
        case .malformed(let what):
            reason = "is malformed: \(what)"
        case .outOfRange(let what):
            reason = "is out of range for \(swiftType): \(what)"
        }
        self.init(kind: .decoding, serverMessage: "column \(column) \(reason)", column: column)
        self.dataType = dataType
    }
}
