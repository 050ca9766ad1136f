import Foundation
import Postgres
import TestSupport
import Testing

/// `numeric` must be exact: every value is checked against PostgreSQL's own text output.
@Suite struct NumericTests {
    static let edgeCases = [
        "0", "-0.01", "10000", "0.00001", "9999999999999.99", "-9999999999999.99", "0.00", "1.10", "123456789.123456789",
        "100000000", "0.0001", "-0.0001", "1e3", "12345678901234567890123456789012345678901234567890.5",
        "0.000000000000000000000000000001", "NaN", "Infinity", "-Infinity",
    ]

    @Test(arguments: edgeCases)
    func edgeCaseRoundTrip(_ text: String) async throws {
        try await TestDatabase.withConnection { c in
            let value = try PostgresNumeric(text)
            // Sent in binary, printed by the server, and compared to the server's reading of the same text.
            let row = try #require(try await c.query("SELECT $1::numeric, $1::numeric::text, $2::numeric::text", [value, text]).first)
            let serverText = try row.decode(String.self, at: 2)
            #expect(try row.decode(String.self, at: 1) == serverText)
            #expect(try row.decode(PostgresNumeric.self, at: 0).description == serverText)
        }
    }

    @Test func thousandsOfRandomServerValuesDecodeExactly() async throws {
        try await TestDatabase.withConnection { c in
            let result = try await c.query(
                """
                SELECT v, v::text FROM (
                  SELECT round(((random() - 0.5) * 10 ^ (random() * 40 - 10))::numeric, (random() * 25)::int) AS v
                  FROM generate_series(1, 4000)
                  UNION ALL SELECT (g::numeric / 100) FROM generate_series(-500, 500) g
                ) s
                """)
            #expect(result.count == 5001)
            var mismatches: [String] = []
            for row in result.rows {
                let decoded = try row.decode(PostgresNumeric.self, at: 0)
                let text = try row.decode(String.self, at: 1)
                if decoded.description != text { mismatches.append("\(decoded) ≠ \(text)") }
            }
            #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        }
    }

    @Test func thousandsOfRandomClientValuesEncodeExactly() async throws {
        var generator = SystemRandomNumberGenerator()
        var values: [String] = []
        for _ in 0..<3000 {
            let integerDigits = Int.random(in: 0...20, using: &generator)
            let fractionDigits = Int.random(in: 0...12, using: &generator)
            var text = Bool.random(using: &generator) ? "-" : ""
            text += integerDigits == 0 ? "0" : String((0..<integerDigits).map { _ in "0123456789".randomElement(using: &generator)! })
            if fractionDigits > 0 {
                text += "." + String((0..<fractionDigits).map { _ in "0123456789".randomElement(using: &generator)! })
            }
            values.append(text)
        }
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE n (i int PRIMARY KEY, sent numeric, given text)")
            try await c.copyIn(table: "n", columns: ["i", "sent", "given"]) { writer in
                for (i, text) in values.enumerated() {
                    try writer.append([Int32(i), try PostgresNumeric(text), text])
                }
            }
            let wrong = try await c.query("SELECT count(*) FROM n WHERE sent::text <> given::numeric::text OR sent IS NULL")
            #expect(try wrong.scalar(Int.self) == 0)
        }
    }

    @Test func scaledIntegersAreExactÖre() async throws {
        try await TestDatabase.withConnection { c in
            let result = try await c.query(
                "SELECT v, (v * 100)::int8 FROM (SELECT round((random() * 2e10 - 1e10)::numeric, 2) v FROM generate_series(1, 2000)) s")
            for row in result.rows {
                let numeric = try row.decode(PostgresNumeric.self, at: 0)
                #expect(try numeric.scaledInteger(scale: 2) == row.decode(Int64.self, at: 1))
            }
            let back = try await c.query("SELECT $1::numeric::text", [PostgresNumeric(scaledInteger: -181_737_550, scale: 2)])
            #expect(try back.scalar(String.self) == "-1817375.50")
        }
        #expect(throws: PostgresError.self) { try PostgresNumeric("0.001").scaledInteger(scale: 2) }
        #expect(try PostgresNumeric("12.300").scaledInteger(scale: 2) == 1230)
        #expect(throws: PostgresError.self) { try PostgresNumeric("99999999999999999999").scaledInteger(scale: 2) }
        #expect(try PostgresNumeric("-92233720368547758.08").scaledInteger(scale: 2) == Int64.min)
    }

    @Test func decimalConversionIsExactOrRefused() async throws {
        try await TestDatabase.withConnection { c in
            let row = try #require(
                try await c.query("SELECT 1817375.50::numeric, 0.00001::numeric, 1234567890123456789012345678901234567890::numeric").first)
            #expect(try row.decode(Decimal.self, at: 0) == Decimal(string: "1817375.5")!)
            #expect(try row.decode(Decimal.self, at: 1) == Decimal(string: "0.00001")!)
            // 40 digits do not fit in Decimal's 38: refused, not rounded.
            #expect(throws: PostgresError.self) { try row.decode(Decimal.self, at: 2) }
            let sent = try await c.query("SELECT $1::numeric::text", [Decimal(string: "-12345.678")!])
            #expect(try sent.scalar(String.self) == "-12345.678")
        }
    }

    @Test(arguments: ["1,5", "1.5x", "", "-", ".", "1e", "abc", " 1", "1 ", "--1", "0x10"])
    func malformedTextIsRefused(_ text: String) {
        #expect(throws: PostgresError.self) { try PostgresNumeric(text) }
    }
}
