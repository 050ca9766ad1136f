public import FinsamCore
import Postgres

/// Råbalans: per account, the balance at the start of the period, the period's change and the closing balance.
/// Balance-sheet accounts carry their balance from earlier years; result accounts start the year at zero.
public struct TrialBalance: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public var account: Int
        public var name: String
        public var opening: Money
        public var change: Money
        public var closing: Money
    }

    public var federation: String
    public var from: CalendarDate
    public var to: CalendarDate
    public var rows: [Row]
    /// Sums of the columns: each is zero when every voucher balances.
    public var totalOpening: Money
    public var totalChange: Money
    public var totalClosing: Money
}

public struct TrialBalanceReport: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func make(for federation: String, from: CalendarDate, to: CalendarDate, by user: User) async throws -> TrialBalance {
        guard from <= to else { throw ServiceError.invalid("perioden slutar (\(to)) före start (\(from))") }
        return try await database.read(user, .reportRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            let dayBefore = PostgresDate(from).adding(days: -1)
            let result = try await c.query(
                """
                WITH opening AS (
                    SELECT account_number, sum(amount_ore) AS amount FROM finsam_ledger_sums($1, '1900-01-01', $4)
                    WHERE finsam_account_group(account_number) < 3000 GROUP BY 1
                    UNION ALL
                    SELECT account_number, sum(amount_ore) FROM finsam_ledger_sums($1, $5, $4)
                    WHERE finsam_account_group(account_number) >= 3000 AND $5 <= $4 GROUP BY 1
                ), change AS (
                    SELECT account_number, sum(amount_ore) AS amount FROM finsam_ledger_sums($1, $2, $3) GROUP BY 1
                )
                SELECT a.account_number, a.name, coalesce(o.amount, 0)::int8 AS opening, coalesce(ch.amount, 0)::int8 AS change
                FROM account a
                LEFT JOIN opening o ON o.account_number = a.account_number
                LEFT JOIN change ch ON ch.account_number = a.account_number
                WHERE a.federation_id = $1 AND (o.amount <> 0 OR ch.amount <> 0)
                ORDER BY a.account_number
                """,
                [found.id, PostgresDate(from), PostgresDate(to), dayBefore,
                 PostgresDate(CalendarDate.firstDay(ofYear: from.year))])
            let rows = try result.rows.map { row in
                let opening = Money(öre: try row.decode(Int64.self, "opening"))
                let change = Money(öre: try row.decode(Int64.self, "change"))
                return TrialBalance.Row(account: try row.decode(Int.self, "account_number"),
                    name: try row.decode(String.self, "name"), opening: opening, change: change, closing: try opening + change)
            }
            return TrialBalance(
                federation: found.code, from: from, to: to, rows: rows,
                totalOpening: try rows.sum(\.opening), totalChange: try rows.sum(\.change),
                totalClosing: try rows.sum(\.closing))
        }
    }
}
