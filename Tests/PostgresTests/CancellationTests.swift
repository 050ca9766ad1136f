import Postgres
import TestSupport
import Testing

@Suite struct CancellationTests {
    @Test func cancellingTheTaskCancelsTheQueryOnTheServer() async throws {
        try await TestDatabase.withDatabase { configuration in
            let c = try await Connection.connect(configuration)
            let clock = ContinuousClock()
            let start = clock.now
            let running = Task { try await c.query("SELECT pg_sleep(30) AS cancellation_probe") }
            // Cancel once the server runs the query (seen from a second session), not after a guessed delay: on a
            // loaded machine 300 ms could pass before the query was even sent, and the cancel then stopped it on
            // the client instead.
            let observer = try await Connection.connect(configuration)
            for _ in 0..<200 {
                let active = try await observer.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%AS cancellation_probe%' AND pid <> pg_backend_pid()"
                ).scalar(Int64.self)
                if active > 0 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            await observer.close()
            running.cancel()
            let outcome = await running.result
            let error = try #require(throws: PostgresError.self) { try outcome.get() }
            #expect(error.kind == .cancelled)
            #expect(error.sqlState == "57014")
            // Ended well before the 30 s the query sleeps. Not tighter: beside the whole suite, the tests that parse
            // large SIE files hold the cooperative threads, and this test's own steps (connecting, polling) wait
            // behind them; 10.9 s was seen.
            #expect(clock.now - start < .seconds(25))
            // The session is fine afterwards.
            #expect(try await c.query("SELECT 42").scalar(Int.self) == 42)
            await c.close()
        }
    }

    @Test func aQueryPastItsTimeoutIsCancelled() async throws {
        try await TestDatabase.withConnection { c in
            let error = try await #require(throws: PostgresError.self) {
                try await c.query("SELECT pg_sleep(20)", timeout: .milliseconds(200))
            }
            #expect(error.kind == .timeout)
            // A query that finishes in time is unaffected, and the next one is not hit by a late cancel.
            #expect(try await c.query("SELECT 1", timeout: .seconds(5)).scalar(Int.self) == 1)
            #expect(try await c.query("SELECT pg_sleep(0.3)::text || 'ok'").scalar(String.self) == "ok")
        }
    }

    @Test func aCancelledTaskDoesNotStartItsQuery() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE t (id int)")
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await c.query("INSERT INTO t VALUES (1)")
            }
            await #expect(throws: PostgresError.self) { try await task.value }
            #expect(try await c.query("SELECT count(*) FROM t").scalar(Int.self) == 0)
        }
    }

    /// Work given to the pool runs under one cancellation handler for the whole block (no handler per query):
    /// cancelling the task must still cancel the query in flight, in a plain lease and in a transaction, and
    /// the queries after the cancellation must not run.
    @Test(arguments: [false, true])
    func cancellingATaskCancelsTheQueryRunningInsideAPooledBlock(inTransaction: Bool) async throws {
        try await TestDatabase.withDatabase { configuration in
            let pool = ConnectionPool(configuration: configuration, options: .init(minimumConnections: 0, maximumConnections: 1))
            try await pool.withConnection { c in try await c.execute(script: "CREATE TABLE after_cancel (id int)") }
            let clock = ContinuousClock()
            let start = clock.now
            let running = Task {
                let body: @Sendable (isolated Connection) async throws -> Void = { c in
                    try await c.query("SELECT 1")
                    try await c.query("SELECT pg_sleep(30)")
                    try await c.query("INSERT INTO after_cancel VALUES (1)")
                }
                if inTransaction { try await pool.transaction(body) } else { try await pool.withConnection(body) }
            }
            try await Task.sleep(for: .milliseconds(300))
            running.cancel()
            let error = try await #require(throws: PostgresError.self) { try await running.value }
            #expect(error.kind == .cancelled)
            // Ended well before the 30 s the query sleeps. Not tighter: beside the whole suite, the tests that parse
            // large SIE files hold the cooperative threads, and this test's own steps (connecting, polling) wait
            // behind them; 10.9 s was seen.
            #expect(clock.now - start < .seconds(25))
            // The pooled connection serves the next block, and the statement after the cancelled one never ran.
            let rows = try await pool.withConnection { c in try await c.query("SELECT count(*) FROM after_cancel").scalar(Int.self) }
            #expect(rows == 0)
            await pool.close()
        }
    }
}
