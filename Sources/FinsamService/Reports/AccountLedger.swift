public import FinsamCore
import Postgres

/// Huvudbok for one account: its lines in a period with a running balance from the opening balance.
public struct AccountLedger: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var date: CalendarDate
        public var voucher: VoucherReference
        public var text: String
        public var intervention: String?
        public var member: String?
        public var amount: Money
        public var balance: Money
    }

    public var federation: String
    public var account: Int
    public var accountName: String
    public var from: CalendarDate
    public var to: CalendarDate
    public var opening: Money
    public var entries: [Entry]
    public var closing: Money
}

public struct AccountLedgerReport: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func make(
        for federation: String, account: Int, from: CalendarDate, to: CalendarDate, by user: User
    ) async throws -> AccountLedger {
        guard from <= to else { throw ServiceError.invalid("perioden slutar (\(to)) före start (\(from))") }
        return try await database.read(user, .reportRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            guard let nameRow = try await c.query(
                "SELECT name FROM account WHERE federation_id = $1 AND account_number = $2", [found.id, account]).first
            else { throw ServiceError.notFound("konto \(account) finns inte i förbundets kontoplan") }
            // Balance-sheet accounts carry their balance from earlier years; result accounts start each year at zero.
            let openingFrom = AccountClass(accountNumber: account)?.isBalanceSheet == true ? PostgresDate(year: 1900, month: 1, day: 1)
                : PostgresDate(CalendarDate.firstDay(ofYear: from.year))
            let opening = Money(öre: try await c.query(
                """
                SELECT coalesce(sum(amount_ore), 0)::int8 FROM finsam_ledger_sums($1, $2, $3)
                WHERE account_number = $4
                """, [found.id, openingFrom, PostgresDate(from).adding(days: -1), account]
            ).scalar(Int64.self))
            let lines = try await c.query(
                """
                SELECT v.voucher_date, v.fiscal_year, v.series, v.number, coalesce(l.text, v.text) AS text,
                       i.code AS intervention, m.code AS member, l.amount_ore
                FROM voucher v
                JOIN voucher_line l ON l.federation_id = v.federation_id AND l.voucher_id = v.voucher_id
                LEFT JOIN intervention i ON i.federation_id = l.federation_id AND i.intervention_id = l.intervention_id
                LEFT JOIN member m ON m.federation_id = l.federation_id AND m.member_id = l.member_id
                WHERE v.federation_id = $1 AND l.account_number = $2 AND v.voucher_date BETWEEN $3 AND $4
                ORDER BY v.voucher_date, v.series, v.number, l.line_number
                """, [found.id, account, PostgresDate(from), PostgresDate(to)])
            var balance = opening
            let entries = try lines.rows.map { row in
                let amount = Money(öre: try row.decode(Int64.self, "amount_ore"))
                try balance += amount
                return AccountLedger.Entry(
                    date: try row.decode(PostgresDate.self, "voucher_date").calendarDate(),
                    voucher: VoucherReference(year: try row.decode(Int.self, "fiscal_year"),
                        series: try row.decode(String.self, "series"), number: try row.decode(Int.self, "number")),
                    text: try row.decode(String.self, "text"), intervention: try row.decode(String?.self, "intervention"),
                    member: try row.decode(String?.self, "member"), amount: amount, balance: balance)
            }
            return AccountLedger(federation: found.code, account: account, accountName: try nameRow.decode(String.self, at: 0),
                from: from, to: to, opening: opening, entries: entries, closing: balance)
        }
    }
}
