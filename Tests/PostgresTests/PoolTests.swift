import Postgres
import TestSupport
import Testing

@Suite struct PoolTests {
    /// 50 tasks share 4 connections; each does a transaction that holds its connection for a moment.
    @Test func fiftyConcurrentTasksOnFourConnections() async throws {
        try await TestDatabase.withDatabase { configuration in
            let pool = ConnectionPool(
                configuration: configuration, options: .init(minimumConnections: 1, maximumConnections: 4))
            try await pool.withConnection { c in
                try await c.execute(script: "CREATE TABLE hits (task int PRIMARY KEY, backend int)")
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<50 {
                    group.addTask {
                        try await pool.transaction { c in
                            try await c.query("SELECT pg_sleep(0.01)")
                            try await c.query("INSERT INTO hits VALUES ($1, pg_backend_pid())", [Int32(task)])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let stats = pool.statistics
            #expect(stats.open <= 4)
            #expect(stats.waiting == 0)
            let row = try await pool.withConnection { c in
                try #require(try await c.query("SELECT count(*), count(DISTINCT backend) FROM hits").first)
            }
            #expect(try row.decode(Int.self, at: 0) == 50)
            #expect(try row.decode(Int.self, at: 1) <= 4)
            #expect(try row.decode(Int.self, at: 1) >= 2)
            await pool.close()
        }
    }

    @Test func acquireTimesOutWhenAllConnectionsAreBusy() async throws {
        try await TestDatabase.withDatabase { configuration in
            let pool = ConnectionPool(
                configuration: configuration,
                options: .init(minimumConnections: 0, maximumConnections: 1, acquireTimeout: .milliseconds(200)))
            let holding = Signal()
            let release = Signal()
            async let holder: Void = pool.withConnection { _ in
                holding.signal()
                await release.wait()
            }
            await holding.wait()
            let error = try await #require(throws: PostgresError.self) {
                try await pool.withConnection { c in try await c.query("SELECT 1") }
            }
            #expect(error.kind == .poolTimeout)
            release.signal()
            try await holder
            // Free again: the next borrower gets it.
            #expect(try await pool.withConnection { c in try await c.query("SELECT 7").scalar(Int.self) } == 7)
            await pool.close()
        }
    }

    @Test func aBorrowerLeavingATransactionOpenDoesNotLeakIt() async throws {
        try await TestDatabase.withDatabase { configuration in
            let pool = ConnectionPool(configuration: configuration, options: .init(maximumConnections: 1))
            try await pool.withConnection { c in
                try await c.execute(script: "CREATE TABLE t (id int)")
                try await c.execute(script: "BEGIN; INSERT INTO t VALUES (1)")
            }
            let state = try await pool.withConnection { c in (c.transactionState, try await c.query("SELECT count(*) FROM t").scalar(Int.self)) }
            #expect(state.0 == .idle)
            #expect(state.1 == 0)
            await pool.close()
        }
    }
}
