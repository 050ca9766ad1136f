import Postgres
import TestSupport
import Testing

@Suite struct TransactionTests {
    @Test func commitKeepsAndThrowRollsBack() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE t (id int PRIMARY KEY)")
            try await c.transaction { tx in
                try await tx.query("INSERT INTO t VALUES (1)")
            }
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await c.transaction { tx in
                    try await tx.query("INSERT INTO t VALUES (2)")
                    throw Abort()
                }
            }
            #expect(try await c.query("SELECT array_agg(id ORDER BY id) FROM t").scalar([Int].self) == [1])
            #expect(await c.transactionState == .idle)
        }
    }

    @Test func aFailedStatementCannotBeCommittedBySwallowingIt() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE t (id int PRIMARY KEY)")
            await #expect(throws: PostgresError.self) {
                try await c.transaction { tx in
                    try await tx.query("INSERT INTO t VALUES (1)")
                    _ = try? await tx.query("INSERT INTO t VALUES (1)")  // duplicate, swallowed
                }
            }
            #expect(try await c.query("SELECT count(*) FROM t").scalar(Int.self) == 0)
        }
    }

    @Test func savepointUndoesOnlyItsOwnWork() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE t (id int PRIMARY KEY)")
            try await c.transaction { tx in
                try await tx.query("INSERT INTO t VALUES (1)")
                _ = try? await tx.savepoint { sp in
                    try await sp.query("INSERT INTO t VALUES (2)")
                    try await sp.query("INSERT INTO t VALUES (1)")  // fails: the savepoint is rolled back
                }
                try await tx.savepoint { sp in try await sp.query("INSERT INTO t VALUES (3)") }
            }
            #expect(try await c.query("SELECT array_agg(id ORDER BY id) FROM t").scalar([Int].self) == [1, 3])
        }
    }

    @Test func nestedTransactionIsRefused() async throws {
        try await TestDatabase.withConnection { c in
            await #expect(throws: PostgresError.self) {
                try await c.transaction { tx in
                    try await tx.transaction { _ in 1 }
                }
            }
        }
    }

    /// Two serializable transactions each read the table's sum and insert it (write skew). The server aborts one
    /// with 40001; `transaction` runs it again and the second attempt sees the other's row.
    @Test func serializationFailureBetweenTwoConnectionsIsRetried() async throws {
        try await TestDatabase.withDatabase { configuration in
            let a = try await Connection.connect(configuration)
            let b = try await Connection.connect(configuration)
            try await a.execute(script: "CREATE TABLE t (v int); INSERT INTO t VALUES (1), (2)")
            let aHasRead = Signal()
            let bHasCommitted = Signal()
            let attempts = Counter()

            async let other: Void = {
                await aHasRead.wait()
                try await b.transaction(isolation: .serializable) { tx in
                    let sum = try await tx.query("SELECT sum(v)::int8 FROM t").scalar(Int.self)
                    try await tx.query("INSERT INTO t VALUES ($1::int8)", [sum])
                }
                bHasCommitted.signal()
            }()

            try await a.transaction(isolation: .serializable) { tx in
                let attempt = attempts.increment()
                let sum = try await tx.query("SELECT sum(v)::int8 FROM t").scalar(Int.self)
                if attempt == 1 {
                    aHasRead.signal()
                    await bHasCommitted.wait()
                }
                try await tx.query("INSERT INTO t VALUES ($1::int8 * 100)", [sum])
            }
            try await other

            #expect(attempts.current == 2)
            // b inserted 1 + 2 = 3; a's retry saw 1 + 2 + 3 = 6 and inserted 600.
            #expect(try await a.query("SELECT array_agg(v ORDER BY v) FROM t").scalar([Int].self) == [1, 2, 3, 600])
            await a.close()
            await b.close()
        }
    }

    @Test func deadlockIsRetried() async throws {
        try await TestDatabase.withDatabase { configuration in
            let a = try await Connection.connect(configuration)
            let b = try await Connection.connect(configuration)
            try await a.execute(script: "CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0)")
            let aLocked = Signal()
            let bLocked = Signal()
            let attemptsA = Counter()
            let attemptsB = Counter()

            async let first: Void = a.transaction { tx in
                let attempt = attemptsA.increment()
                try await tx.query("UPDATE t SET v = v + 1 WHERE id = 1")
                if attempt == 1 {
                    aLocked.signal()
                    await bLocked.wait()
                }
                try await tx.query("UPDATE t SET v = v + 1 WHERE id = 2")
            }
            async let second: Void = b.transaction { tx in
                let attempt = attemptsB.increment()
                if attempt == 1 { await aLocked.wait() }
                try await tx.query("UPDATE t SET v = v + 10 WHERE id = 2")
                if attempt == 1 { bLocked.signal() }
                try await tx.query("UPDATE t SET v = v + 10 WHERE id = 1")
            }
            try await first
            try await second
            // A deadlock victim ran again: at least one of them ran twice. On a loaded machine (CI, 2 cores, the
            // whole suite in parallel) both have been seen to run twice (a CI run counted 4 attempts), so the
            // count is a range; what must hold exactly is that each update landed once, whatever ran again.
            #expect(attemptsA.current + attemptsB.current >= 3)
            #expect(try await a.query("SELECT array_agg(v ORDER BY id) FROM t").scalar([Int].self) == [11, 11])
            await a.close()
            await b.close()
        }
    }
}
