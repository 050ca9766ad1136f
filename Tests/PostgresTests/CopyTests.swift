import Postgres
import TestSupport
import Testing

@Suite struct CopyTests {
    /// 100 000 rows go in with binary COPY; the server's own aggregates are checked against sums computed here.
    @Test func copyInHundredThousandRowsAndOutAgain() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE line (id int8 PRIMARY KEY, amount numeric(15,2) NOT NULL, text text)")
            let count = 100_000
            var expectedÖre: Int64 = 0
            let loaded = try await c.copyIn(table: "line", columns: ["id", "amount", "text"]) { writer in
                for i in 1...count {
                    let öre = Int64(i % 2 == 0 ? i * 137 : -i * 59)
                    expectedÖre += öre
                    try writer.append([i, PostgresNumeric(scaledInteger: öre, scale: 2), i % 10 == 0 ? nil : "rad \(i)" as String?])
                }
            }
            #expect(loaded == count)
            let row = try #require(
                try await c.query("SELECT count(*), sum(amount), count(text), max(id) FROM line").first)
            #expect(try row.decode(Int.self, at: 0) == count)
            #expect(try row.decode(PostgresNumeric.self, at: 1).scaledInteger(scale: 2) == expectedÖre)
            #expect(try row.decode(Int.self, at: 2) == count - count / 10)
            #expect(try row.decode(Int.self, at: 3) == count)

            var lines = 0
            var bytes = 0
            let exported = try await c.copyOut("COPY (SELECT id, amount, text FROM line ORDER BY id) TO STDOUT") { chunk in
                lines += 1
                bytes += chunk.count
            }
            #expect(exported == count)
            #expect(lines == count)
            let firstRows = try await c.copyOut("COPY (SELECT id, amount, text FROM line ORDER BY id LIMIT 2) TO STDOUT")
            #expect(String(decoding: firstRows, as: UTF8.self) == "1\t-0.59\trad 1\n2\t2.74\trad 2\n")
        }
    }

    /// The typed form (`append(a, b, c)`, no array) writes the same bytes as the array form: the server's own
    /// text rendering of both tables is compared with values written out by hand.
    @Test func typedRowsLoadLikeArrayRows() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: """
                CREATE TABLE typed (id int8, amount numeric(15,2), small numeric, note text, day date);
                CREATE TABLE boxed (id int8, amount numeric(15,2), small numeric, note text, day date)
                """)
            let rows: [(Int, Int64, Int64, String?, PostgresDate)] = [
                (1, 0, 5, "noll", PostgresDate(year: 2024, month: 2, day: 29)),
                (2, -1, -123_456_789, nil, PostgresDate(year: 1999, month: 12, day: 31)),
                (3, 1_817_375_00, 10_000, "Sävsjö", PostgresDate(year: 2026, month: 11, day: 22)),
                (4, 99_999_999_999_99, 1, "", PostgresDate(year: 2000, month: 1, day: 1)),
            ]
            try await c.copyIn(table: "typed", columns: ["id", "amount", "small", "note", "day"]) { writer in
                for row in rows {
                    try writer.append(row.0, PostgresNumeric(scaledInteger: row.1, scale: 2),
                        PostgresNumeric(scaledInteger: row.2, scale: 4), row.3, row.4)
                }
            }
            try await c.copyIn(table: "boxed", columns: ["id", "amount", "small", "note", "day"]) { writer in
                for row in rows {
                    try writer.append([row.0, PostgresNumeric(scaledInteger: row.1, scale: 2),
                        PostgresNumeric(scaledInteger: row.2, scale: 4), row.3, row.4])
                }
            }
            let expected = """
                1\t0.00\t0.0005\tnoll\t2024-02-29
                2\t-0.01\t-12345.6789\t\\N\t1999-12-31
                3\t1817375.00\t1.0000\tSävsjö\t2026-11-22
                4\t99999999999.99\t0.0001\t\t2000-01-01

                """
            for table in ["typed", "boxed"] {
                let text = try await c.copyOut("COPY (SELECT * FROM \(table) ORDER BY id) TO STDOUT")
                #expect(String(decoding: text, as: UTF8.self) == expected, "\(table)")
            }
        }
    }

    @Test func rawTextCopyAndAbortOnError() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE t (id int PRIMARY KEY, name text)")
            let loaded = try await c.copyIn("COPY t FROM STDIN WITH (FORMAT csv)", data: [Array("1,Aneby\n2,Eksjö\n".utf8)])
            #expect(loaded == 2)
            // A bad row aborts the whole COPY: nothing of it stays.
            await #expect(throws: PostgresError.self) {
                try await c.copyIn("COPY t FROM STDIN WITH (FORMAT csv)", data: [Array("3,Nässjö\nx,bad\n".utf8)])
            }
            // An error thrown while writing aborts it too.
            struct Stop: Error {}
            await #expect(throws: (any Error).self) {
                try await c.copyIn(table: "t", columns: ["id", "name"]) { writer in
                    try writer.append([Int32(4), "Sävsjö"])
                    throw Stop()
                }
            }
            #expect(try await c.query("SELECT count(*) FROM t").scalar(Int.self) == 2)
            // A COPY given to query is refused and leaves the session usable.
            await #expect(throws: PostgresError.self) { try await c.query("COPY t FROM STDIN") }
            #expect(try await c.query("SELECT 1").scalar(Int.self) == 1)
        }
    }
}
