import Foundation
import Postgres
import TestSupport
import Testing

/// Every supported type goes to the server as a bound binary parameter and comes back; where PostgreSQL can print
/// the value, its own text output is the independent check.
@Suite struct TypeRoundTripTests {
    @Test func integersAndBooleans() async throws {
        try await TestDatabase.withConnection { c in
            let row = try #require(
                try await c.query(
                    "SELECT $1::int2 AS a, $2::int4 AS b, $3::int8 AS c, $4::bool AS d, $5::bool AS e, $3::int8::text AS c_text",
                    [Int16(-32768), Int32(2_147_483_647), Int.min, true, false]
                ).first)
            #expect(try row.decode(Int16.self, "a") == -32768)
            #expect(try row.decode(Int32.self, "b") == 2_147_483_647)
            #expect(try row.decode(Int.self, "c") == Int.min)
            #expect(try row.decode(String.self, "c_text") == "-9223372036854775808")
            #expect(try row.decode(Bool.self, at: 3) == true)
            #expect(try row.decode(Bool.self, at: 4) == false)
            // Narrower Swift types refuse values that do not fit.
            #expect(throws: PostgresError.self) { try row.decode(Int16.self, "b") }
        }
    }

    @Test func textAndVarchar() async throws {
        try await TestDatabase.withConnection { c in
            let text = "Höglandets samordningsförbund – 1 817 375 kr ✓ \"citat\" 'apostrof' \\ tab\t"
            let row = try #require(try await c.query("SELECT $1::text, $1::varchar(200), length($1)", [text]).first)
            #expect(try row.decode(String.self, at: 0) == text)
            #expect(try row.decode(String.self, at: 1) == text)
            #expect(try row.decode(Int.self, at: 2) == text.count)
            // NUL cannot be stored in text: refused before anything is sent.
            await #expect(throws: PostgresError.self) { try await c.query("SELECT $1::text", ["a\u{0}b"]) }
        }
    }

    @Test func dates() async throws {
        try await TestDatabase.withConnection { c in
            let dates = ["2024-02-29", "2000-01-01", "1999-12-31", "1970-01-01", "2100-12-31", "0001-01-01"]
            for text in dates {
                let date = try #require(PostgresDate(text))
                let row = try #require(try await c.query("SELECT $1::date, $1::date::text, $2::date", [date, text]).first)
                #expect(try row.decode(PostgresDate.self, at: 0) == date)
                #expect(try row.decode(String.self, at: 1) == text)
                #expect(try row.decode(PostgresDate.self, at: 2).description == text)
            }
            #expect(PostgresDate("2023-02-29") == nil)
            #expect(PostgresDate("2024-1-01") == nil)
        }
    }

    @Test func timestamptz() async throws {
        try await TestDatabase.withConnection { c in
            // 2024-06-30 12:34:56.789012 UTC, given as text to the server and compared as seconds since 1970.
            let row = try #require(
                try await c.query(
                    "SELECT '2024-06-30 12:34:56.789012+00'::timestamptz AS t, extract(epoch FROM '2024-06-30 12:34:56.789012+00'::timestamptz)::text AS e"
                ).first)
            let date = try row.decode(Date.self, "t")
            #expect(abs(date.timeIntervalSince1970 - 1_719_750_896.789012) < 0.000_001)
            let back = try #require(try await c.query("SELECT $1::timestamptz::text", [date]).first)
            #expect(try back.decode(String.self, at: 0) == "2024-06-30 12:34:56.789012+00")
        }
    }

    @Test func uuidBytesAndJSON() async throws {
        try await TestDatabase.withConnection { c in
            let id = UUID(uuidString: "3F2504E0-4F89-11D3-9A0C-0305E82C3301")!
            let bytes = PostgresBytes([0, 1, 2, 254, 255])
            let json = PostgresJSON(#"{"kommun": "Aneby", "invånare": 6915}"#)
            let row = try #require(
                try await c.query(
                    "SELECT $1::uuid, $1::uuid::text, $2::bytea, encode($2::bytea, 'hex'), $3::jsonb, $3::jsonb ->> 'kommun'",
                    [id, bytes, json]
                ).first)
            #expect(try row.decode(UUID.self, at: 0) == id)
            #expect(try row.decode(String.self, at: 1) == "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
            #expect(try row.decode(PostgresBytes.self, at: 2) == bytes)
            #expect(try row.decode(Data.self, at: 2) == Data([0, 1, 2, 254, 255]))
            #expect(try row.decode(String.self, at: 3) == "000102feff")
            #expect(try row.decode(PostgresJSON.self, at: 4).text == #"{"kommun": "Aneby", "invånare": 6915}"#)
            #expect(try row.decode(String.self, at: 5) == "Aneby")
        }
    }

    @Test func arrays() async throws {
        try await TestDatabase.withConnection { c in
            let numbers = [1, -2, Int.max, 0]
            let names = ["Aneby", "Eksjö", "", "with \"quote\""]
            let row = try #require(
                try await c.query(
                    "SELECT $1::int8[], array_length($1::int8[], 1), $2::text[], $2::text[] = ARRAY['Aneby','Eksjö','','with \"quote\"'], $3::int8[], ARRAY[1, NULL, 3]::int8[]",
                    [numbers, names, [Int]()]
                ).first)
            #expect(try row.decode([Int].self, at: 0) == numbers)
            #expect(try row.decode(Int.self, at: 1) == 4)
            #expect(try row.decode([String].self, at: 2) == names)
            #expect(try row.decode(Bool.self, at: 3))
            #expect(try row.decode([Int].self, at: 4) == [])
            #expect(try row.decode([Int?].self, at: 5) == [1, nil, 3])
            #expect(throws: PostgresError.self) { try row.decode([Int].self, at: 5) }
        }
    }

    @Test func nullsDecodeOnlyIntoOptionals() async throws {
        try await TestDatabase.withConnection { c in
            let none: Int? = nil
            let noText: String? = nil
            let row = try #require(try await c.query("SELECT $1::int8 AS n, $2::text AS t, $1::int8 IS NULL AS isnull", [none, noText]).first)
            #expect(try row.decode(Int?.self, "n") == nil)
            #expect(try row.decode(String?.self, "t") == nil)
            #expect(try row.decode(Bool.self, "isnull"))
            let error = try #require(throws: PostgresError.self) { try row.decode(Int.self, "n") }
            #expect(error.kind == .decoding)
            #expect(error.column == "n")
            #expect(error.serverMessage?.contains("NULL") == true)
        }
    }

    @Test func wrongTypeIsAnErrorNamingTheColumn() async throws {
        try await TestDatabase.withConnection { c in
            let row = try #require(try await c.query("SELECT 'x'::text AS label, 5::int4 AS amount").first)
            let error = try #require(throws: PostgresError.self) { try row.decode(Int.self, "label") }
            #expect(error.kind == .decoding)
            #expect(error.column == "label")
            #expect(error.description.contains("label"))
            #expect(throws: PostgresError.self) { try row.decode(Date.self, "amount") }
            #expect(throws: PostgresError.self) { try row.decode(Int.self, "no_such_column") }
            #expect(throws: PostgresError.self) { try row.decode(Int.self, at: 7) }
        }
    }

    struct Member: Decodable, Equatable {
        var code: String
        var population: Int
        var orgnr: String?
        var joined: PostgresDate
    }

    @Test func decodableRows() async throws {
        try await TestDatabase.withConnection { c in
            let result = try await c.query(
                """
                SELECT * FROM (VALUES ('aneby', 6915, '212000-0530', DATE '2003-01-01'),
                                      ('eksjo', 17637, NULL, DATE '2004-01-01')) AS m(code, population, orgnr, joined)
                ORDER BY code
                """)
            let members = try result.decode(as: Member.self)
            #expect(
                members == [
                    Member(code: "aneby", population: 6915, orgnr: "212000-0530", joined: PostgresDate(year: 2003, month: 1, day: 1)),
                    Member(code: "eksjo", population: 17637, orgnr: nil, joined: PostgresDate(year: 2004, month: 1, day: 1)),
                ])
        }
    }

    @Test func affectedRowsAndCommandTag() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE t (id int8 PRIMARY KEY, name text)")
            let insert = try await c.query("INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, $1::int8) g", [7])
            #expect(insert.affectedRows == 7)
            #expect(insert.commandTag == "INSERT 0 7")
            let update = try await c.query("UPDATE t SET name = $1 WHERE id > $2", ["x", 4])
            #expect(update.affectedRows == 3)
            #expect(try await c.query("SELECT count(*) FROM t WHERE name = $1", ["x"]).scalar(Int.self) == 3)
        }
    }
}
