internal import CLibPQ
import Foundation

/// Writes rows of a binary `COPY … FROM STDIN`: the values are encoded exactly as bound parameters are.
public struct CopyWriter: ~Copyable {
    let conn: OpaquePointer
    var buffer: [UInt8] = []
    var rowCount = 0
    static let flushThreshold = 1 << 16

    init(conn: OpaquePointer) {
        self.conn = conn
        buffer.reserveCapacity(Self.flushThreshold + 4096)
        // Signature, flags (no OIDs), header extension length.
        buffer.append(contentsOf: Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00])
        buffer.appendInt32(0)
        buffer.appendInt32(0)
    }

    /// Appends one row; the values must match the COPY's column list in number, order and type.
    public mutating func append(_ values: [any PostgresEncodable]) throws(PostgresError) {
        buffer.appendInt16(Int16(values.count))
        for value in values { try appendField(value) }
        try endRow()
    }

    /// Appends one row of typed values, `writer.append(id, amount, note)`: the same as the array form without
    /// an array and an existential box per value, which is what a bulk load of millions of rows spends most on.
    public mutating func append<each Value: PostgresEncodable>(_ value: repeat each Value) throws(PostgresError) {
        var count: Int16 = 0
        for _ in repeat (each Value).self { count += 1 }
        buffer.appendInt16(count)
        for field in repeat each value { try appendField(field) }
        try endRow()
    }

    private mutating func appendField<Value: PostgresEncodable>(_ value: Value) throws(PostgresError) {
        if value.isNull {
            buffer.appendInt32(-1)
            return
        }
        let lengthAt = buffer.count
        buffer.appendInt32(0)
        try value.encode(into: &buffer)
        let length = UInt32(buffer.count - lengthAt - 4)
        buffer[lengthAt] = UInt8(truncatingIfNeeded: length >> 24)
        buffer[lengthAt + 1] = UInt8(truncatingIfNeeded: length >> 16)
        buffer[lengthAt + 2] = UInt8(truncatingIfNeeded: length >> 8)
        buffer[lengthAt + 3] = UInt8(truncatingIfNeeded: length)
    }

    private mutating func endRow() throws(PostgresError) {
        rowCount += 1
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    mutating func flush() throws(PostgresError) {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(conn, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else { throw PostgresError(connectionFailureOf: conn) }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func finish() throws(PostgresError) {
        buffer.appendInt16(-1)
        try flush()
    }
}

extension Connection {
    /// Bulk-loads rows with a binary `COPY table (columns) FROM STDIN`; `write` appends them one by one.
    /// Returns the number of rows the server loaded. If `write` throws, the COPY is aborted and nothing is loaded.
    @discardableResult
    public func copyIn(
        table: String, columns: [String], _ write: (inout CopyWriter) throws -> Void
    ) async throws -> Int {
        let target = quoteQualifiedIdentifier(table)
        let list = columns.map(quoteIdentifier).joined(separator: ", ")
        let sql = "COPY \(target) (\(list)) FROM STDIN WITH (FORMAT binary)"
        return try await whileCancellable(timeout: nil) { () throws(PostgresError) in
            let conn = try self.requireHandle()
            try self.startCopy(sql, expecting: PGRES_COPY_IN)
            var writer = CopyWriter(conn: conn)
            do {
                try write(&writer)
                try writer.finish()
            } catch {
                _ = PQputCopyEnd(conn, "aborted by the client")
                _ = try? self.finishCopy()
                throw (error as? PostgresError) ?? PostgresError.misuse("COPY aborted: \(type(of: error))")
            }
            guard PQputCopyEnd(conn, nil) == 1 else { throw PostgresError(connectionFailureOf: conn) }
            return try self.finishCopy()
        }
    }

    /// Loads raw COPY data (any format the SQL names, e.g. CSV or text) from a sequence of chunks.
    @discardableResult
    public func copyIn<Chunks: Sequence>(_ sql: String, data chunks: Chunks) async throws(PostgresError) -> Int
    where Chunks.Element == [UInt8] {
        try await whileCancellable(timeout: nil) { () throws(PostgresError) in
            let conn = try self.requireHandle()
            try self.startCopy(sql, expecting: PGRES_COPY_IN)
            for chunk in chunks where !chunk.isEmpty {
                let sent = chunk.withUnsafeBufferPointer { pointer in
                    pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(conn, $0.baseAddress, Int32($0.count)) }
                }
                guard sent == 1 else { throw PostgresError(connectionFailureOf: conn) }
            }
            guard PQputCopyEnd(conn, nil) == 1 else { throw PostgresError(connectionFailureOf: conn) }
            return try self.finishCopy()
        }
    }

    /// Runs `COPY … TO STDOUT` and hands each chunk (a row, in text and CSV formats) to `receive`.
    /// Returns the number of rows. If `receive` throws, the COPY is cancelled and the error rethrown.
    @discardableResult
    public func copyOut(
        _ sql: String, _ receive: (UnsafeRawBufferPointer) throws -> Void
    ) async throws -> Int {
        try await whileCancellable(timeout: nil) { () throws(PostgresError) in
            let conn = try self.requireHandle()
            try self.startCopy(sql, expecting: PGRES_COPY_OUT)
            var failure: (any Error)?
            while true {
                var data: UnsafeMutablePointer<CChar>?
                let length = PQgetCopyData(conn, &data, 0)
                if length > 0, let data {
                    if failure == nil {
                        do { try receive(UnsafeRawBufferPointer(start: data, count: Int(length))) } catch {
                            failure = error
                            self.cancelHandle.cancel(.task)
                        }
                    }
                    PQfreemem(data)
                } else if length == -1 {
                    break
                } else {
                    throw PostgresError(connectionFailureOf: conn)
                }
            }
            if let failure {
                _ = try? self.finishCopy()
                throw (failure as? PostgresError) ?? PostgresError.misuse("COPY aborted: \(type(of: failure))")
            }
            return try self.finishCopy()
        }
    }

    /// All of a `COPY … TO STDOUT` as bytes.
    public func copyOut(_ sql: String) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        try await copyOut(sql) { bytes.append(contentsOf: $0) }
        return bytes
    }

    private func startCopy(_ sql: String, expecting status: ExecStatusType) throws(PostgresError) {
        let conn = try requireHandle()
        guard let result = PQexec(conn, sql) else { throw PostgresError(connectionFailureOf: conn) }
        let actual = PQresultStatus(result)
        if actual == status {
            PQclear(result)
            return
        }
        if actual == PGRES_FATAL_ERROR {
            let error = PostgresError(result: result, connection: conn)
            PQclear(result)
            throw error
        }
        PQclear(result)
        while let next = PQgetResult(conn) { PQclear(next) }
        throw PostgresError.misuse("the statement is not a COPY \(status == PGRES_COPY_IN ? "FROM STDIN" : "TO STDOUT")")
    }

    /// Reads the COPY's final result; returns its row count.
    private func finishCopy() throws(PostgresError) -> Int {
        let conn = try requireHandle()
        var rows = 0
        var failure: PostgresError?
        while let result = PQgetResult(conn) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                rows = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if failure == nil {
                failure = PostgresError(result: result, connection: conn)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return rows
    }
}

/// Quotes an identifier for SQL text (identifiers cannot be bound as parameters): `"a""b"`.
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// Quotes `schema.table` as two identifiers, or a plain name as one.
public func quoteQualifiedIdentifier(_ name: String) -> String {
    name.split(separator: ".", maxSplits: 1).map { quoteIdentifier(String($0)) }.joined(separator: ".")
}
