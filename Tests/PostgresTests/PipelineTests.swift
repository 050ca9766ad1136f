import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct PipelineTests {
    @Test func manyStatementsInOrderInOneTransaction() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE line (n int PRIMARY KEY, amount numeric(15,2))")
            let statements = (1...450).map { n in
                PostgresStatement("INSERT INTO line VALUES ($1, $2) RETURNING n * 2", [Int32(n), PostgresNumeric(scaledInteger: Int64(n), scale: 2)])
            }
            let results = try await c.transaction { tx in try await tx.pipeline(statements, batchSize: 100) }
            #expect(results.count == 450)
            #expect(try results.enumerated().allSatisfy { index, result in try result.scalar(Int.self) == (index + 1) * 2 })
            // Sum of 1..450 öre = 101 475 öre.
            #expect(try await c.query("SELECT sum(amount)::text FROM line").scalar(String.self) == "1014.75")
        }
    }

    @Test func aFailingStatementFailsThePipelineAndTheTransaction() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE t (n int PRIMARY KEY)")
            let statements = [1, 2, 2, 3].map { PostgresStatement("INSERT INTO t VALUES ($1)", [Int32($0)]) }
            let error = try await #require(throws: PostgresError.self) {
                try await c.transaction { tx in try await tx.pipeline(statements) }
            }
            #expect(error.isUniqueViolation)
            #expect(try await c.query("SELECT count(*) FROM t").scalar(Int.self) == 0)
            #expect(await c.transactionState == .idle)
            // The connection works normally afterwards, pipelines included.
            let again = try await c.pipeline([PostgresStatement("SELECT 5"), PostgresStatement("SELECT $1::text", ["x"])])
            #expect(try again[0].scalar(Int.self) == 5)
            #expect(try again[1].scalar(String.self) == "x")
        }
    }

    /// The streaming form hands each result over with its statement's index, across batches; when the receiver
    /// throws, the error comes out, later batches are not sent, and the connection stays usable.
    @Test func resultsStreamInOrderAndAReceiverErrorStopsThePipeline() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE s (n int)")
            let statements = (0..<250).map { PostgresStatement("INSERT INTO s VALUES ($1) RETURNING n + 1000", [Int32($0)]) }
            var seen: [Int] = []
            try await c.pipeline(statements, batchSize: 100) { (index, result) throws(PostgresError) in
                #expect(try result.scalar(Int.self) == index + 1000)
                seen.append(index)
            }
            #expect(seen == Array(0..<250))

            let more = (0..<250).map { PostgresStatement("INSERT INTO s VALUES ($1)", [Int32(1000 + $0)]) }
            var received = 0
            let error = try await #require(throws: PostgresError.self) {
                try await c.pipeline(more, batchSize: 100) { (index, _) throws(PostgresError) in
                    received += 1
                    if index == 42 { throw PostgresError(kind: .decoding, serverMessage: "stop at 42") }
                }
            }
            #expect(error.serverMessage == "stop at 42")
            #expect(received == 43)
            // The first batch (100 statements, autocommitted at its sync point) ran; the later ones were not sent.
            #expect(try await c.query("SELECT count(*) FROM s WHERE n >= 1000").scalar(Int.self) == 100)
            #expect(try await c.query("SELECT 7").scalar(Int.self) == 7)
        }
    }
}

@Suite struct StatementCacheTests {
    @Test func aStatementIsPreparedOnceAndReused() async throws {
        try await TestDatabase.withConnection { c in
            for i in 0..<20 { try await c.query("SELECT $1::int8 + 1", [i]) }
            let prepared = try await c.query("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", ["SELECT $1::int8 + 1"])
            #expect(try prepared.scalar(Int.self) == 1)
        }
    }

    @Test func theLeastRecentlyUsedAreDeallocated() async throws {
        try await TestDatabase.withDatabase { configuration in
            var small = configuration
            small.statementCacheCapacity = 3
            let c = try await Connection.connect(small)
            for i in 0..<10 { try await c.query("SELECT \(i)") }
            // 3 cached, plus the statement of this very query (which may evict one more).
            let count = try await c.query("SELECT count(*) FROM pg_prepared_statements").scalar(Int.self)
            #expect(count <= 4)
            #expect(try await c.query("SELECT 9").scalar(Int.self) == 9)
            await c.close()
        }
    }

    @Test func theStatementUsedLastStaysWhenTheCacheIsFull() async throws {
        try await TestDatabase.withDatabase { configuration in
            var small = configuration
            small.statementCacheCapacity = 2
            let c = try await Connection.connect(small)
            try await c.query("SELECT 1")
            try await c.query("SELECT 2")
            // "SELECT 1" again, three times: the later ones are found without the cache's hash table.
            for _ in 0..<3 { try await c.query("SELECT 1") }
            // A third statement evicts the least recently used one: "SELECT 2".
            try await c.query("SELECT 3")
            let kept = try await c.queryUnprepared("SELECT statement FROM pg_prepared_statements ORDER BY statement")
                .rows.map { try $0.decode(String.self, at: 0) }
            #expect(kept == ["SELECT 1", "SELECT 3"])
            #expect(try await c.query("SELECT 2").scalar(Int.self) == 2)
            await c.close()
        }
    }

    @Test func oneTextWithTwoListsOfParameterTypesIsPreparedOnceForEach() async throws {
        try await TestDatabase.withConnection { c in
            for _ in 0..<3 {
                #expect(try await c.query("SELECT $1::text", [42]).scalar(String.self) == "42")
                #expect(try await c.query("SELECT $1::text", ["tjugo"]).scalar(String.self) == "tjugo")
            }
            let prepared = try await c.query("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", ["SELECT $1::text"])
            #expect(try prepared.scalar(Int.self) == 2)
        }
    }

    @Test func parameterMemoryReusedAcrossQueriesOfEveryShape() async throws {
        // A connection encodes every one-at-a-time query into the same memory: more parameters than before,
        // fewer, NULLs, empty values and long ones must each arrive as sent.
        try await TestDatabase.withConnection { c in
            let ten = (1...10).map { Int64($0) } as [any PostgresEncodable]
            #expect(try await c.query("SELECT $1::int8 + $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 + $10", ten).scalar(Int.self) == 55)
            #expect(try await c.query("SELECT $1::int8", [Int64(7)]).scalar(Int.self) == 7)
            let long = String(repeating: "verifikation ", count: 10_000)
            let row = try #require(try await c.query(
                "SELECT $1::text IS NULL, length($2::text), $3::text, length($4::bytea), length($5::text), $6::int4",
                [String?.none, "", "Åre", Data(), long, Int32(-1)]
            ).first)
            #expect(try row.decode(Bool.self, at: 0))
            #expect(try row.decode(Int.self, at: 1) == 0)
            #expect(try row.decode(String.self, at: 2) == "Åre")
            #expect(try row.decode(Int.self, at: 3) == 0)
            #expect(try row.decode(Int.self, at: 4) == 130_000)
            #expect(try row.decode(Int.self, at: 5) == -1)
            #expect(try await c.query("SELECT $1::text || $2::text", ["a", "b"]).scalar(String.self) == "ab")
            #expect(try await c.query("SELECT 1").scalar(Int.self) == 1)
        }
    }

    @Test func concurrentCallersOfOneConnectionEachGetTheirOwnParameters() async throws {
        // Calls from outside the connection interleave on its actor; each must be sent with its own values.
        try await TestDatabase.withDatabase { configuration in
            let c = try await Connection.connect(configuration)
            let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for i in 0..<200 {
                    group.addTask { (i, try await c.query("SELECT $1::int8 * 2", [i]).scalar(Int.self)) }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(answers.count == 200)
            #expect(answers.allSatisfy { $0.value == 2 * $0.key })
            await c.close()
        }
    }

    @Test func aStatementDiscardedOnTheServerIsPreparedAgain() async throws {
        try await TestDatabase.withConnection { c in
            #expect(try await c.query("SELECT $1::int8 * 2", [21]).scalar(Int.self) == 42)
            try await c.execute(script: "DEALLOCATE ALL")
            #expect(try await c.query("SELECT $1::int8 * 2", [4]).scalar(Int.self) == 8)
        }
    }
}
