public import FinsamCore
import Postgres

/// Checks that a federation's books agree (DOMAIN.md, "Reconciliation"), at a date, in one REPEATABLE READ
/// transaction so that every check sees the same ledger. Each check first compares two totals read from the
/// maintained balances or the documents (cheap whatever the ledger's size), and looks for the vouchers involved
/// only when they differ, or, for the documents that carry their voucher, one document at a time.
public struct Reconciliation: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func check(_ federation: String, at date: CalendarDate, by user: User) async throws -> ReconciliationReport {
        try await database.read(user, .reconcile, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            let checks = [
                try await ReconciliationStore.vouchersBalanceCheck(c, federationID: found.id, at: date),
                try await ReconciliationStore.receivablesCheck(c, federationID: found.id, at: date),
                try await ReconciliationStore.disbursementsCheck(c, federationID: found.id, at: date),
                try await ReconciliationStore.bankPaymentsCheck(c, federationID: found.id, at: date),
            ]
            // Only where a statement (camt.053) was read is there a closing balance to compare with.
            let statement = try await ReconciliationStore.bankStatementCheck(c, federationID: found.id, at: date)
            return ReconciliationReport(federation: found.code, date: date, checks: checks + (statement.map { [$0] } ?? []))
        }
    }
}

/// The SQL of the nightly reconciliation's checks: ledger totals and each check's differences.
enum ReconciliationStore {
    /// The ledger's sum (of one account, or of all) dated up to `date`, from the maintained balances: the whole
    /// months before `date`'s month from the monthly ones, the days of its month from the daily ones. Both are
    /// range scans of their keys, so the cost follows the number of months, not the number of lines.
    fileprivate static func ledgerTotal(_ c: isolated Connection, federationID: Int64, at date: CalendarDate, account: Int?) async throws -> Money {
        Money(öre: try await c.query(
            """
            SELECT (coalesce((SELECT sum(amount_ore) FROM ledger_month_balance
                              WHERE federation_id = $1 AND (fiscal_year, month) < ($2::int4, $3::int2)
                                AND ($5::int4 IS NULL OR account_number = $5)), 0)
                  + coalesce((SELECT sum(amount_ore) FROM ledger_day_balance
                              WHERE federation_id = $1 AND voucher_date BETWEEN make_date($2, $3, 1) AND $4
                                AND ($5::int4 IS NULL OR account_number = $5)), 0))::int8
            """, [federationID, Int32(date.year), Int16(date.month), PostgresDate(date), account.map(Int32.init)]).scalar(Int64.self))
    }

    fileprivate static func differences(_ c: isolated Connection, _ result: QueryResult) throws -> [ReconciliationDifference] {
        try result.rows.map { row in
            let year = try row.decode(Int?.self, "fiscal_year"), series = try row.decode(String?.self, "series")
            let number = try row.decode(Int?.self, "number")
            return ReconciliationDifference(
                voucher: year.flatMap { year in series.flatMap { series in number.map { VoucherReference(year: year, series: series, number: $0) } } },
                date: try row.decode(PostgresDate?.self, "voucher_date")?.calendarDate(),
                document: try row.decode(String.self, "document"),
                ledger: Money(öre: try row.decode(Int64.self, "ledger_ore")),
                documents: Money(öre: try row.decode(Int64.self, "documents_ore")))
        }
    }

    /// All lines together add up to zero; where a month does not, its vouchers that do not balance. The months
    /// are found first, from the monthly balances; only their vouchers are read, by date.
    static func vouchersBalanceCheck(_ c: isolated Connection, federationID: Int64, at date: CalendarDate) async throws -> ReconciliationCheck {
        let total = try await ReconciliationStore.ledgerTotal(c, federationID: federationID, at: date, account: nil)
        let months = try await c.query(
            """
            SELECT make_date(fiscal_year, month, 1) FROM ledger_month_balance
            WHERE federation_id = $1 AND make_date(fiscal_year, month, 1) <= $2
            GROUP BY fiscal_year, month HAVING sum(amount_ore) <> 0 ORDER BY 1
            """, [federationID, PostgresDate(date)]).rows.map { try $0.decode(PostgresDate.self, at: 0) }
        var unbalanced: [ReconciliationDifference] = []
        for month in months {
            unbalanced += try ReconciliationStore.differences(c, try await c.query(
                """
                SELECT v.fiscal_year, v.series, v.number, v.voucher_date, 'verifikationens rader summerar inte till noll' AS document,
                       coalesce(sum(l.amount_ore), 0)::int8 AS ledger_ore, 0::int8 AS documents_ore
                FROM voucher v
                LEFT JOIN voucher_line l ON l.federation_id = v.federation_id AND l.voucher_id = v.voucher_id
                WHERE v.federation_id = $1 AND v.voucher_date >= $2 AND v.voucher_date < ($2::date + interval '1 month')
                  AND v.voucher_date <= $3
                GROUP BY v.voucher_id, v.fiscal_year, v.series, v.number, v.voucher_date
                HAVING coalesce(sum(l.amount_ore), 0) <> 0
                ORDER BY v.voucher_date, v.series, v.number
                """, [federationID, month, PostgresDate(date)]))
        }
        return ReconciliationCheck(kind: .vouchersBalance, ledger: total, documents: .zero, differences: unbalanced)
    }

    /// The receivables account (1510 in the template) against the open items: each invoice's total less its credit notes and payments (payments
    /// reversed count again). When the totals differ, each voucher on 1510 is compared with its document.
    static func receivablesCheck(_ c: isolated Connection, federationID: Int64, at date: CalendarDate) async throws -> ReconciliationCheck {
        let account = try await PostingAccountStore.postingAccounts(c, federationID: federationID).receivables
        let ledger = try await ReconciliationStore.ledgerTotal(c, federationID: federationID, at: date, account: account)
        let open = try await PaymentStore.invoiceBalances(c, federationID: federationID, at: date, invoiceID: nil)
            .sum(\.remaining)
        guard ledger != open else { return ReconciliationCheck(kind: .receivables, ledger: ledger, documents: open, differences: []) }
        let found = try ReconciliationStore.differences(c, try await c.query(
            """
            WITH documents AS (
                SELECT 'faktura ' || i.number || ' (' || i.fiscal_year || ')' AS document, i.voucher_id, i.total_ore AS amount
                FROM invoice i WHERE i.federation_id = $1 AND i.issue_date <= $2
                UNION ALL
                SELECT 'kreditnota ' || n.number || ' (' || n.fiscal_year || ')', n.voucher_id, -n.amount_ore
                FROM credit_note n WHERE n.federation_id = $1 AND n.issue_date <= $2
                UNION ALL
                SELECT 'inbetalning på faktura ' || i.number || ' (' || i.fiscal_year || ')', p.voucher_id, -p.amount_ore
                FROM invoice_payment p JOIN invoice i USING (federation_id, invoice_id)
                WHERE p.federation_id = $1 AND p.paid_on <= $2
                UNION ALL
                SELECT 'återförd inbetalning på faktura ' || i.number || ' (' || i.fiscal_year || ')', r.voucher_id, p.amount_ore
                FROM invoice_payment_reversal r JOIN invoice_payment p USING (federation_id, payment_id)
                JOIN invoice i ON i.federation_id = p.federation_id AND i.invoice_id = p.invoice_id
                WHERE r.federation_id = $1 AND r.reversed_on <= $2
            ), posted AS (
                SELECT l.voucher_id, sum(l.amount_ore) AS amount
                FROM voucher_line l JOIN voucher v USING (federation_id, voucher_id)
                WHERE l.federation_id = $1 AND l.account_number = $3 AND v.voucher_date <= $2
                GROUP BY l.voucher_id
            )
            SELECT v.fiscal_year, v.series, v.number, v.voucher_date,
                   coalesce(d.document, 'bokfört på kundfordringar utan faktura eller inbetalning: ' || v.text) AS document,
                   coalesce(p.amount, 0)::int8 AS ledger_ore, coalesce(d.amount, 0)::int8 AS documents_ore
            FROM documents d FULL JOIN posted p ON p.voucher_id = d.voucher_id
            JOIN voucher v ON v.federation_id = $1 AND v.voucher_id = coalesce(d.voucher_id, p.voucher_id)
            WHERE coalesce(p.amount, 0) <> coalesce(d.amount, 0)
            ORDER BY v.voucher_date, v.series, v.number
            """, [federationID, PostgresDate(date), Int32(account)]))
        return ReconciliationCheck(kind: .receivables, ledger: ledger, documents: open, differences: found)
    }

    /// Each paid disbursement against the cost lines (classes 4–7, whichever account the federation's setting named
    /// when it was paid) of its voucher and of any voucher reversing it.
    static func disbursementsCheck(_ c: isolated Connection, federationID: Int64, at date: CalendarDate) async throws -> ReconciliationCheck {
        let rows = try await c.query(
            """
            SELECT v.fiscal_year, v.series, v.number, v.voucher_date, 'utbetalning ' || d.number AS document,
                   (coalesce((SELECT sum(l.amount_ore) FROM voucher_line l
                              WHERE l.federation_id = d.federation_id AND l.voucher_id = d.voucher_id
                                AND finsam_account_group(l.account_number) BETWEEN 4000 AND 7999), 0)
                    + coalesce((SELECT sum(l.amount_ore) FROM voucher r JOIN voucher_line l USING (federation_id, voucher_id)
                                WHERE r.federation_id = d.federation_id AND r.reverses_voucher_id = d.voucher_id
                                  AND r.voucher_date <= $2 AND finsam_account_group(l.account_number) BETWEEN 4000 AND 7999), 0))::int8 AS ledger_ore,
                   d.amount_ore AS documents_ore
            FROM disbursement d JOIN voucher v ON v.federation_id = d.federation_id AND v.voucher_id = d.voucher_id
            WHERE d.federation_id = $1 AND d.state = 'paid' AND v.voucher_date <= $2
            ORDER BY v.voucher_date, v.series, v.number
            """, [federationID, PostgresDate(date)])
        let all = try ReconciliationStore.differences(c, rows)
        return ReconciliationCheck(
            kind: .disbursements, ledger: try all.sum(\.ledger), documents: try all.sum(\.documents),
            differences: all.filter { $0.ledger != $0.documents })
    }

    /// Each payment and deduction the bank files brought against what was booked of it (its invoice payments,
    /// less any reversed since, or the bank lines of the voucher that settled it): a payment still waiting is a
    /// difference until it is matched or settled.
    static func bankPaymentsCheck(_ c: isolated Connection, federationID: Int64, at date: CalendarDate) async throws -> ReconciliationCheck {
        let rows = try await c.query(
            """
            SELECT NULL::int4 AS fiscal_year, NULL::text AS series, NULL::int4 AS number, b.paid_on AS voucher_date,
                   'bankbetalning ' || b.bank_payment_id || ' (' || f.file_name || ', rad ' || b.source_line || ')'
                       || coalesce(': ' || b.unmatched_reason, '') AS document,
                   (coalesce((SELECT sum(p.amount_ore) FROM bank_payment_allocation a
                             JOIN invoice_payment p USING (federation_id, payment_id)
                             WHERE a.federation_id = b.federation_id AND a.bank_payment_id = b.bank_payment_id
                               AND NOT EXISTS (SELECT 1 FROM invoice_payment_reversal r
                                               WHERE r.federation_id = p.federation_id AND r.payment_id = p.payment_id
                                                 AND r.reversed_on <= $2)), 0)
                   -- A payment settled by a voucher: that voucher's lines on the bank, and those of any reversing it.
                   + coalesce((SELECT sum(l.amount_ore) FROM bank_payment_voucher s
                               JOIN voucher v ON v.federation_id = s.federation_id
                                   AND (v.voucher_id = s.voucher_id OR v.reverses_voucher_id = s.voucher_id)
                               JOIN voucher_line l ON l.federation_id = v.federation_id AND l.voucher_id = v.voucher_id
                               WHERE s.federation_id = b.federation_id AND s.bank_payment_id = b.bank_payment_id
                                 AND v.voucher_date <= $2
                                 AND l.account_number = (SELECT p.account_number FROM posting_account p
                                                         WHERE p.federation_id = $1 AND p.purpose = 'bank')), 0))::int8 AS ledger_ore,
                   (CASE b.kind WHEN 'deduction' THEN -b.amount_ore ELSE b.amount_ore END)::int8 AS documents_ore
            FROM bank_payment b
            JOIN bank_deposit d ON d.federation_id = b.federation_id AND d.bank_deposit_id = b.bank_deposit_id
            JOIN import_file f ON f.federation_id = d.federation_id AND f.import_file_id = d.import_file_id
            WHERE b.federation_id = $1 AND b.paid_on <= $2
            ORDER BY b.paid_on, b.bank_payment_id
            """, [federationID, PostgresDate(date)])
        let all = try ReconciliationStore.differences(c, rows)
        return ReconciliationCheck(
            kind: .bankPayments, ledger: try all.sum(\.ledger), documents: try all.sum(\.documents),
            differences: all.filter { $0.ledger != $0.documents })
    }

    /// The bank account (1930 in the template) at the date of the latest statement read (up to `date`) against that statement's
    /// closing balance; nil when no statement has been read.
    static func bankStatementCheck(_ c: isolated Connection, federationID: Int64, at date: CalendarDate) async throws -> ReconciliationCheck? {
        let statements = try await c.query(
            """
            SELECT DISTINCT ON (account) account, statement_id, balance_date, closing_ore FROM bank_statement_balance
            WHERE federation_id = $1 AND balance_date <= $2
            ORDER BY account, balance_date DESC, statement_id DESC
            """, [federationID, PostgresDate(date)]).rows
        guard !statements.isEmpty else { return nil }
        var ledger = Money.zero, documents = Money.zero
        var found: [ReconciliationDifference] = []
        let bank = try await PostingAccountStore.postingAccounts(c, federationID: federationID).bank
        for row in statements {
            let day = try row.decode(PostgresDate.self, "balance_date").calendarDate()
            let onBank = try await ReconciliationStore.ledgerTotal(c, federationID: federationID, at: day, account: bank)
            let closing = Money(öre: try row.decode(Int64.self, "closing_ore"))
            try ledger += onBank
            try documents += closing
            if onBank != closing {
                found.append(ReconciliationDifference(
                    voucher: nil, date: day,
                    document: "kontoutdrag \(try row.decode(String.self, "statement_id")) för \(try row.decode(String.self, "account")), utgående saldo",
                    ledger: onBank, documents: closing))
            }
        }
        return ReconciliationCheck(kind: .bankStatement, ledger: ledger, documents: documents, differences: found)
    }
}
