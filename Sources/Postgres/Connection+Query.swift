internal import CLibPQ
import Foundation

/// Encoded parameters, ready for libpq: one contiguous buffer, the types, and where each value sits in the
/// buffer (offset and length packed in one word; offset -1 for NULL). Three allocations, whatever the count.
struct Binds {
    var types: [UInt32] = []
    var fields: [Int] = []
    var buffer: [UInt8] = []

    init(_ parameters: [any PostgresEncodable]) throws(PostgresError) {
        types.reserveCapacity(parameters.count)
        fields.reserveCapacity(parameters.count)
        for parameter in parameters {
            types.append(type(of: parameter).postgresType.rawValue)
            if parameter.isNull {
                fields.append(Binds.nullField)
            } else {
                let start = buffer.count
                try parameter.encode(into: &buffer)
                fields.append(start << 32 | (buffer.count - start))
            }
        }
    }

    private static let nullField = -1

    var count: Int32 { Int32(types.count) }

    /// Calls `body` with the C arrays `PQexecPrepared`/`PQsendQueryPrepared` take. Every format is binary (1).
    /// The value pointers and formats live on the stack for the call: a round trip allocates nothing here.
    func withPointers<R>(
        _ body: (
            UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?
        ) -> R
    ) -> R {
        let count = types.count
        if count == 0 { return body(nil, nil, nil) }
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * count) { ints in
            // The first half holds the formats (all binary), the second the lengths.
            for index in 0..<count {
                ints[index] = 1
                let field = fields[index]
                ints[count + index] = field == Binds.nullField ? 0 : Int32(truncatingIfNeeded: field & 0xFFFF_FFFF)
            }
            return withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: count) { values in
                // A zero-length value still needs a non-NULL pointer: point it at a static zero byte.
                buffer.withUnsafeBufferPointer { storage in
                    withUnsafePointer(to: Binds.emptyValue) { empty in
                        let zero = UnsafeRawPointer(empty).assumingMemoryBound(to: CChar.self)
                        let base = storage.baseAddress.map { UnsafeRawPointer($0) }
                        for index in 0..<count {
                            let field = fields[index]
                            if field == Binds.nullField {
                                values[index] = nil
                            } else if field & 0xFFFF_FFFF == 0 || base == nil {
                                values[index] = zero
                            } else {
                                values[index] = (base! + (field >> 32)).assumingMemoryBound(to: CChar.self)
                            }
                        }
                        let base32 = UnsafePointer(ints.baseAddress!)
                        return body(UnsafePointer(values.baseAddress), base32 + count, base32)
                    }
                }
            }
        }
    }

    private static let emptyValue: UInt8 = 0
}

extension Connection {
    /// Runs one statement with bound parameters and returns its rows.
    ///
    /// The statement is prepared on first use and cached on this connection, keyed by its text and parameter
    /// types; later calls send only the parameters. `timeout` (or the configuration's default) cancels the query
    /// on the server when it runs too long; cancelling the Swift task cancels it too.
    @discardableResult
    public func query(
        _ sql: String, _ parameters: [any PostgresEncodable] = [], timeout: Duration? = nil
    ) async throws(PostgresError) -> QueryResult {
        let binds = try Binds(parameters)
        // The common case, a statement of a block given to the pool: no suspension point, no handler of its own.
        if cancellationScopeActive {
            return try runInCancellationScope(timeout: timeout) { () throws(PostgresError) in
                try self.executeCached(sql, binds)
            }
        }
        return try await whileCancellable(timeout: timeout) { () throws(PostgresError) in
            try self.executeCached(sql, binds)
        }
    }

    /// Runs one statement without preparing it (one round trip: parse, bind and execute an unnamed statement).
    /// For statements run once; everything else is better served by `query`.
    @discardableResult
    public func queryUnprepared(
        _ sql: String, _ parameters: [any PostgresEncodable] = [], timeout: Duration? = nil
    ) async throws(PostgresError) -> QueryResult {
        let binds = try Binds(parameters)
        return try await whileCancellable(timeout: timeout) { () throws(PostgresError) in
            let conn = try self.requireHandle()
            let result = binds.withPointers { values, lengths, formats in
                PQexecParams(conn, sql, binds.count, binds.types, values, lengths, formats, 1)
            }
            return try self.checked(result)
        }
    }

    /// Runs SQL text with the simple query protocol: several statements separated by `;`, no parameters, no rows.
    /// For migrations and administration; values never belong in this text.
    public func execute(script sql: String, timeout: Duration? = nil) async throws(PostgresError) {
        try await whileCancellable(timeout: timeout) { () throws(PostgresError) in
            try self.simpleCommand(sql)
        }
    }

    /// Prepares (once) and executes a statement by its cache entry.
    func executeCached(_ sql: String, _ binds: Binds) throws(PostgresError) -> QueryResult {
        let conn = try requireHandle()
        let key = StatementCache.Key(sql: sql, types: binds.types)
        let name: String
        if let cached = statements.lookup(key) {
            name = cached
        } else {
            name = try prepare(key)
        }
        let result = binds.withPointers { values, lengths, formats in
            PQexecPrepared(conn, name, binds.count, values, lengths, formats, 1)
        }
        do {
            return try checked(result)
        } catch {
            // A statement can vanish under us (DISCARD ALL) or be invalidated by a schema change. Outside a
            // transaction nothing ran, so prepare it again and retry once; inside one, the transaction is lost anyway.
            if error.sqlState == "26000" || (error.sqlState == "0A000" && (error.serverMessage ?? "").contains("cached plan")) {
                statements.remove(key)
                if PQtransactionStatus(conn) == PQTRANS_IDLE {
                    let again = try prepare(key)
                    let retry = binds.withPointers { values, lengths, formats in
                        PQexecPrepared(conn, again, binds.count, values, lengths, formats, 1)
                    }
                    return try checked(retry)
                }
            }
            throw error
        }
    }

    func prepare(_ key: StatementCache.Key) throws(PostgresError) -> String {
        let conn = try requireHandle()
        let name = statements.makeName()
        _ = try checked(PQprepare(conn, name, key.sql, Int32(key.types.count), key.types))
        if let evicted = statements.insert(key, name: name) {
            try simpleCommand("DEALLOCATE \(evicted)")
        }
        return name
    }

    /// Runs blocking libpq work so that a timeout or the task's cancellation cancels it on the server.
    /// Inside `inCancellationScope` the scope's handler covers it; otherwise it registers its own.
    func whileCancellable<T>(
        timeout: Duration?, _ work: () throws(PostgresError) -> T
    ) async throws(PostgresError) -> T {
        if cancellationScopeActive { return try runInCancellationScope(timeout: timeout, work) }
        guard handle != nil else { throw PostgresError.closed }
        let handle = cancelHandle
        try beginQuery(handle)
        let timer = startTimer(timeout, handle)
        let outcome: Result<T, PostgresError> = await withTaskCancellationHandler {
            precondition(self.thread.isCurrent, "libpq work must run on the connection's own thread")
            do throws(PostgresError) { return .success(try work()) } catch { return .failure(error) }
        } onCancel: {
            handle.cancel(.task)
        }
        timer?.cancel()
        let reason = handle.finish()
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw Self.mapCancellation(error, reason)
        }
    }

    /// The same, synchronously, under the handler of the enclosing `inCancellationScope`.
    func runInCancellationScope<T>(
        timeout: Duration?, _ work: () throws(PostgresError) -> T
    ) throws(PostgresError) -> T {
        guard handle != nil else { throw PostgresError.closed }
        precondition(thread.isCurrent, "libpq work must run on the connection's own thread")
        let handle = cancelHandle
        try beginQuery(handle)
        let timer = startTimer(timeout, handle)
        do {
            let value = try work()
            timer?.cancel()
            _ = handle.finish()
            return value
        } catch {
            timer?.cancel()
            throw Self.mapCancellation(error, handle.finish())
        }
    }

    /// Marks the query in flight, then looks at the task: a cancellation from now on sends a cancel request,
    /// one from before is seen here and the query is not sent.
    private func beginQuery(_ handle: CancelHandle) throws(PostgresError) {
        handle.start()
        if Task.isCancelled {
            _ = handle.finish()
            throw PostgresError(kind: .cancelled, serverMessage: "the task was cancelled")
        }
    }

    private func startTimer(_ timeout: Duration?, _ handle: CancelHandle) -> DispatchWorkItem? {
        guard let limit = timeout ?? configuration.defaultQueryTimeout else { return nil }
        let item = DispatchWorkItem { handle.cancel(.timeout) }
        let (seconds, attoseconds) = limit.components
        let nanos = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanos), execute: item)
        return item
    }

    /// A server-side cancellation (57014) that we asked for, reported as a timeout or a cancellation.
    private static func mapCancellation(_ error: PostgresError, _ reason: CancelHandle.Reason?) -> PostgresError {
        guard error.sqlState == "57014", let reason else { return error }
        var mapped = error
        mapped.kind = reason == .timeout ? .timeout : .cancelled
        return mapped
    }
}
