import Postgres
import TestSupport
import Testing

/// Every field of a server error reaches Swift, and `description` never carries parameter values.
@Suite struct ErrorTests {
    @Test func uniqueViolationCarriesConstraintTableAndDetail() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE member (code text CONSTRAINT member_code_key UNIQUE, population int)")
            try await c.query("INSERT INTO member VALUES ($1, 1)", ["secret-aneby"])
            let error = try await #require(throws: PostgresError.self) {
                try await c.query("INSERT INTO member VALUES ($1, 2)", ["secret-aneby"])
            }
            #expect(error.kind == .server)
            #expect(error.sqlState == "23505")
            #expect(error.isUniqueViolation)
            #expect(error.constraint == "member_code_key")
            #expect(error.table == "member")
            #expect(error.schema == "public")
            #expect(error.severity == "ERROR")
            #expect(error.detail?.contains("secret-aneby") == true)
            #expect(!error.description.contains("secret-aneby"))
            #expect(error.description.contains("23505"))
            #expect(error.description.contains("member_code_key"))
        }
    }

    @Test func notNullAndCheckViolationsNameTheColumnAndConstraint() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(script: "CREATE TABLE t (a int NOT NULL, b int CONSTRAINT b_positive CHECK (b > 0))")
            let notNull = try await #require(throws: PostgresError.self) {
                try await c.query("INSERT INTO t (a, b) VALUES ($1, 1)", [Int?.none])
            }
            #expect(notNull.sqlState == "23502")
            #expect(notNull.column == "a")
            #expect(notNull.table == "t")
            let check = try await #require(throws: PostgresError.self) { try await c.query("INSERT INTO t VALUES (1, $1)", [-5]) }
            #expect(check.isCheckViolation)
            #expect(check.constraint == "b_positive")
        }
    }

    @Test func raisedExceptionCarriesMessageDetailHintAndDataType() async throws {
        try await TestDatabase.withConnection { c in
            try await c.execute(
                script: """
                    CREATE DOMAIN positive AS int CHECK (VALUE > 0);
                    CREATE FUNCTION fail() RETURNS void LANGUAGE plpgsql AS $$
                    BEGIN
                      RAISE EXCEPTION 'the voucher does not balance'
                        USING DETAIL = 'debit 100, credit 90', HINT = 'add a line', ERRCODE = 'P0001';
                    END $$;
                    """)
            let raised = try await #require(throws: PostgresError.self) { try await c.query("SELECT fail()") }
            #expect(raised.isRaisedException)
            #expect(raised.serverMessage == "the voucher does not balance")
            #expect(raised.detail == "debit 100, credit 90")
            #expect(raised.hint == "add a line")
            let domain = try await #require(throws: PostgresError.self) { try await c.query("SELECT (-1)::positive") }
            #expect(domain.sqlState == "23514")
            #expect(domain.dataType == "positive")
        }
    }

    @Test func syntaxErrorHasPosition() async throws {
        try await TestDatabase.withConnection { c in
            let error = try await #require(throws: PostgresError.self) { try await c.query("SELECT 1 FROMM t") }
            #expect(error.sqlState == "42601")
            // `FROMM` reads as a column alias; the error is at `t`, the 16th character.
            #expect(error.position == 16)
            // The connection is still usable afterwards.
            #expect(try await c.query("SELECT 2").scalar(Int.self) == 2)
        }
    }

    @Test func badConnectionStringIsAConnectionError() async throws {
        let error = try await #require(throws: PostgresError.self) {
            _ = try await Connection.connect(ConnectionConfiguration("postgresql://nobody@/nowhere?host=/nonexistent&connect_timeout=2"))
        }
        #expect(error.kind == .connection)
    }

    @Test func closedConnectionRefusesWork() async throws {
        try await TestDatabase.withDatabase { configuration in
            let c = try await Connection.connect(configuration)
            await c.close()
            let error = try await #require(throws: PostgresError.self) { try await c.query("SELECT 1") }
            #expect(error.kind == .closed)
        }
    }
}
