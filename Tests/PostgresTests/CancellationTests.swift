import Postgres
import TestSupport
import Testing

@Suite struct CancellationTests {
    @Test func cancellingTheTaskCancelsTheQueryOnTheServer() async throws {
        try await TestDatabase.withDatabase { configuration in
            let c = try await Connection.connect(configuration)
            let clock = ContinuousClock()
            let start = clock.now
            let running = Task { try await c.query("SELECT pg_sleep(30)") }
            try await Task.sleep(for: .milliseconds(300))
            running.cancel()
            let outcome = await running.result
            let error = try #require(throws: PostgresError.self) { try outcome.get() }
            #expect(error.kind == .cancelled)
            #expect(error.sqlState == "57014")
            #expect(clock.now - start < .seconds(10))
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
}
