internal import CLibPQ
import Foundation

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
        // The common case, a statement of a block given to the pool: no suspension point, no handler of its own.
        if cancellationScopeActive {
            return try runInCancellationScope(timeout: timeout) { () throws(PostgresError) in
                try self.executeCached(sql, parameters)
            }
        }
        return try await whileCancellable(timeout: timeout) { () throws(PostgresError) in
            try self.executeCached(sql, parameters)
        }
    }

    /// Runs one statement without preparing it (one round trip: parse, bind and execute an unnamed statement).
    /// For statements run once; everything else is better served by `query`.
    @discardableResult
    public func queryUnprepared(
        _ sql: String, _ parameters: [any PostgresEncodable] = [], timeout: Duration? = nil
    ) async throws(PostgresError) -> QueryResult {
        return try await whileCancellable(timeout: timeout) { () throws(PostgresError) in
            let conn = try self.requireHandle()
            let result = try self.scratchBinds.encoding(parameters) { (binds) throws(PostgresError) in
                PQexecParams(conn, sql, binds.count, binds.types, binds.values, binds.lengths, binds.formats, 1)
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

    /// Prepares (once) and executes a statement by its cache entry. The parameters are encoded into the
    /// connection's reused `Binds` in the same synchronous stretch that sends them, so that no other call on this
    /// actor can encode in between.
    func executeCached(_ sql: String, _ parameters: [any PostgresEncodable]) throws(PostgresError) -> QueryResult {
        let conn = try requireHandle()
        return try scratchBinds.encoding(parameters) { (binds) throws(PostgresError) -> QueryResult in
            let name: StatementName
            if let cached = statements.lookup(sql, binds.typeList) {
                name = cached
            } else {
                name = try prepare(sql, binds)
            }
            do throws(PostgresError) {
                return try checked(execute(conn, name, binds))
            } catch {
                // A statement can vanish under us (DISCARD ALL) or be invalidated by a schema change. Outside a
                // transaction nothing ran, so prepare it again and retry once; inside one, the transaction is lost anyway.
                if error.sqlState == "26000" || (error.sqlState == "0A000" && (error.serverMessage ?? "").contains("cached plan")) {
                    statements.remove(sql, binds.typeList)
                    if PQtransactionStatus(conn) == PQTRANS_IDLE {
                        let again = try prepare(sql, binds)
                        return try checked(execute(conn, again, binds))
                    }
                }
                throw error
            }
        }
    }

    /// Executes a prepared statement and waits for its result.
    private func execute(_ conn: OpaquePointer, _ name: StatementName, _ binds: Binds.Encoded) -> OpaquePointer? {
        defer { extendLifetime(name) }
        return PQexecPrepared(conn, name.cString, binds.count, binds.values, binds.lengths, binds.formats, 1)
    }

    /// Prepares `sql` for the parameter types of `binds` and caches it.
    func prepare(_ sql: String, _ binds: Binds.Encoded) throws(PostgresError) -> StatementName {
        let conn = try requireHandle()
        let name = statements.makeName()
        let prepared = PQprepare(conn, name.cString, sql, binds.count, binds.types)
        extendLifetime(name)
        _ = try checked(prepared)
        if let evicted = statements.insert(sql, Array(binds.typeList), name: name) {
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

    /// The same, synchronously, under the handler of the enclosing `inCancellationScope`. Inlined: it sits on
    /// every round trip, and a call through a closure context costs more than its body.
    @inline(__always)
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
