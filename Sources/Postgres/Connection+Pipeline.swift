internal import CLibPQ

/// A statement and its parameters, for a pipeline.
public struct PostgresStatement: Sendable {
    public var sql: String
    public var parameters: [any PostgresEncodable]

    public init(_ sql: String, _ parameters: [any PostgresEncodable] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

extension Connection {
    /// Sends many statements without waiting for each answer (libpq's pipeline mode) and returns their results
    /// in order. A batch of `batchSize` statements costs about one round trip instead of one per statement:
    /// the way to write the many lines of a voucher, or a run of invoices.
    ///
    /// Each batch ends with a sync point. Outside a transaction every batch is its own implicit transaction;
    /// inside `transaction { }` all of it commits or rolls back together. When a statement fails, the rest of its
    /// batch is skipped by the server and the first error is thrown (later batches are not sent).
    public func pipeline(
        _ statements: [PostgresStatement], batchSize: Int = 100
    ) async throws(PostgresError) -> [QueryResult] {
        var results: [QueryResult] = []
        results.reserveCapacity(statements.count)
        try await pipeline(statements, batchSize: batchSize) { (_, result) throws(PostgresError) in results.append(result) }
        return results
    }

    /// The same, handing each statement's result to `receive` (with the statement's index) as it arrives, so
    /// that results need not all be held at once: a bulk of INSERTs keeps memory flat. If `receive` throws,
    /// the rest of the batch is read and dropped, later batches are not sent, and the error is thrown.
    public func pipeline(
        _ statements: [PostgresStatement], batchSize: Int = 100,
        _ receive: (Int, QueryResult) throws(PostgresError) -> Void
    ) async throws(PostgresError) {
        let encoded = try statements.map { (statement) throws(PostgresError) in try Binds(statement.parameters) }
        try await whileCancellable(timeout: nil) { () throws(PostgresError) in
            let conn = try self.requireHandle()
            guard PQenterPipelineMode(conn) == 1 else { throw PostgresError(connectionFailureOf: conn) }
            defer {
                _ = PQexitPipelineMode(conn)
                let evicted = self.deferredDeallocations
                self.deferredDeallocations.removeAll()
                for name in evicted { try? self.simpleCommand("DEALLOCATE \(name)") }
            }
            var start = 0
            let step = max(1, batchSize)
            while start < statements.count {
                let end = min(start + step, statements.count)
                try self.runPipelineBatch(conn, statements, encoded, start..<end, receive)
                start = end
            }
        }
    }

    private static let pipelineFlushEvery = 16

    private enum PipelineStep {
        case prepare(PendingStatement, StatementName)
        case execute
    }

    /// A statement prepared within the batch, cached once its PREPARE has succeeded.
    private struct PendingStatement: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private func runPipelineBatch(
        _ conn: OpaquePointer, _ statements: [PostgresStatement], _ binds: [Binds], _ range: Range<Int>,
        _ receive: (Int, QueryResult) throws(PostgresError) -> Void
    ) throws(PostgresError) {
        var steps: [PipelineStep] = []
        var pending: [PendingStatement: StatementName] = [:]
        for index in range {
            let sql = statements[index].sql
            let parameters = binds[index]
            let name: StatementName
            if let cached = self.statements.lookup(sql, parameters.typeList) {
                name = cached
            } else {
                let key = PendingStatement(sql: sql, types: Array(parameters.typeList))
                if let prepared = pending[key] {
                    name = prepared
                } else {
                    name = self.statements.makeName()
                    let sentPrepare = parameters.withEncoded { encoded in
                        PQsendPrepare(conn, name.cString, sql, encoded.count, encoded.types)
                    }
                    guard sentPrepare == 1 else { throw PostgresError(connectionFailureOf: conn) }
                    pending[key] = name
                    steps.append(.prepare(key, name))
                }
            }
            let statement = name.cString
            let sent = parameters.withEncoded { encoded in
                PQsendQueryPrepared(conn, statement, encoded.count, encoded.values, encoded.lengths, encoded.formats, 1)
            }
            extendLifetime(name)
            guard sent == 1 else { throw PostgresError(connectionFailureOf: conn) }
            steps.append(.execute)
            // libpq buffers a pipeline until the sync point; sending every few statements lets the server work on
            // them while the rest of the batch is encoded. No deadlock when answers pile up: while a send waits
            // for room, libpq reads what the server has sent into its input buffer (pqSendSome).
            if (index - range.lowerBound) % Self.pipelineFlushEvery == Self.pipelineFlushEvery - 1 {
                guard PQflush(conn) == 0 else { throw PostgresError(connectionFailureOf: conn) }
            }
        }
        guard PQpipelineSync(conn) == 1 else { throw PostgresError(connectionFailureOf: conn) }

        var firstError: PostgresError?
        var executed = range.lowerBound
        for step in steps {
            guard let result = PQgetResult(conn) else { throw PostgresError(connectionFailureOf: conn) }
            // Each command's results end with a NULL.
            while let extra = PQgetResult(conn) { PQclear(extra) }
            let status = PQresultStatus(result)
            switch status {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                switch step {
                case .prepare(let key, let name):
                    PQclear(result)
                    if let evicted = self.statements.insert(key.sql, key.types, name: name) {
                        // Deallocate after the batch: the pipeline is not the place for it.
                        deferredDeallocations.append(evicted)
                    }
                case .execute:
                    // Wrapped at once, so that it is cleared exactly once even if it is not handed on.
                    let wrapped = QueryResult(taking: result)
                    if firstError == nil {
                        do throws(PostgresError) { try receive(executed, wrapped) } catch { firstError = error }
                    }
                    executed += 1
                }
            case PGRES_PIPELINE_ABORTED:
                PQclear(result)
                if case .execute = step { executed += 1 }
            default:
                if firstError == nil { firstError = PostgresError(result: result, connection: conn) }
                PQclear(result)
                if case .execute = step { executed += 1 }
            }
        }
        // The sync point's own result.
        guard let sync = PQgetResult(conn) else { throw PostgresError(connectionFailureOf: conn) }
        let syncStatus = PQresultStatus(sync)
        PQclear(sync)
        guard syncStatus == PGRES_PIPELINE_SYNC else {
            throw PostgresError.misuse("pipeline lost its sync point")
        }
        if let firstError { throw firstError }
    }
}
