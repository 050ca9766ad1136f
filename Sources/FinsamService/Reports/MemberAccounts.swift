public import FinsamCore
import Postgres

/// Kontoutdrag: a member's invoices, credit notes and payments in date order, with the balance it owes after
/// each (positive: the member owes; negative: it has paid more than invoiced).
public struct MemberStatement: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var date: CalendarDate
        /// invoice, credit-note or payment.
        public var kind: String
        public var reference: String
        public var text: String
        public var amount: Money
        public var balance: Money
    }

    public var federation: String
    public var member: String
    public var memberName: String
    public var entries: [Entry]
    public var balance: Money
}

/// The contributions of a year per member: planned, invoiced, credited, paid and still owed.
public struct ContributionsReport: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public var member: String
        public var memberName: String
        public var planned: Money
        public var invoiced: Money
        public var credited: Money
        public var paid: Money
        public var owed: Money
    }

    public var federation: String
    public var year: Int
    public var rows: [Row]
    public var total: Row
}

public struct MemberAccounts: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func statement(of member: String, in federation: String, by user: User) async throws -> MemberStatement {
        try await database.read(user, .reportRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            let owner = try await MemberStore.member(c, member, federationID: found.id)
            var balance = Money.zero
            let entries = try await c.query(
                """
                SELECT issue_date AS day, 'invoice' AS kind, fiscal_year || '-' || number AS reference,
                       'Faktura ' || number || ', OCR ' || ocr AS text, total_ore AS amount, 1 AS sort, number AS seq
                FROM invoice WHERE federation_id = $1 AND member_id = $2
                UNION ALL
                SELECT n.issue_date, 'credit-note', n.fiscal_year || '-' || n.number,
                       'Kreditfaktura ' || n.number || ' för faktura ' || i.number || ': ' || n.reason, -n.amount_ore, 2, n.number
                FROM credit_note n JOIN invoice i USING (federation_id, invoice_id)
                WHERE n.federation_id = $1 AND i.member_id = $2
                UNION ALL
                SELECT p.paid_on, 'payment', v.fiscal_year || ' ' || v.series || '-' || v.number,
                       'Inbetalning för faktura ' || i.number || coalesce(', ref ' || p.reference, ''), -p.amount_ore, 3, p.payment_id
                FROM invoice_payment p JOIN invoice i USING (federation_id, invoice_id)
                JOIN voucher v ON v.federation_id = p.federation_id AND v.voucher_id = p.voucher_id
                WHERE p.federation_id = $1 AND i.member_id = $2
                UNION ALL
                SELECT r.reversed_on, 'payment-reversal', v.fiscal_year || ' ' || v.series || '-' || v.number,
                       'Återförd inbetalning för faktura ' || i.number || ': ' || r.reason, p.amount_ore, 4, p.payment_id
                FROM invoice_payment_reversal r JOIN invoice_payment p USING (federation_id, payment_id)
                JOIN invoice i ON i.federation_id = p.federation_id AND i.invoice_id = p.invoice_id
                JOIN voucher v ON v.federation_id = r.federation_id AND v.voucher_id = r.voucher_id
                WHERE r.federation_id = $1 AND i.member_id = $2
                ORDER BY 1, 6, 7
                """, [found.id, owner.id]
            ).rows.map { row in
                let amount = Money(öre: try row.decode(Int64.self, "amount"))
                try balance += amount
                return MemberStatement.Entry(
                    date: try row.decode(PostgresDate.self, "day").calendarDate(), kind: try row.decode(String.self, "kind"),
                    reference: try row.decode(String.self, "reference"), text: try row.decode(String.self, "text"),
                    amount: amount, balance: balance)
            }
            return MemberStatement(federation: found.code, member: owner.code, memberName: owner.name, entries: entries, balance: balance)
        }
    }

    public func contributions(in federation: String, year: Int, by user: User) async throws -> ContributionsReport {
        try await database.read(user, .reportRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            let rows = try await c.query(
                """
                SELECT m.code, m.name,
                       coalesce(s.amount_ore, 0)::int8 AS planned,
                       coalesce((SELECT sum(total_ore) FROM invoice i WHERE i.federation_id = m.federation_id
                                 AND i.member_id = m.member_id AND i.contribution_year = $2), 0)::int8 AS invoiced,
                       coalesce((SELECT sum(n.amount_ore) FROM credit_note n JOIN invoice i USING (federation_id, invoice_id)
                                 WHERE i.federation_id = m.federation_id AND i.member_id = m.member_id
                                   AND i.contribution_year = $2), 0)::int8 AS credited,
                       coalesce((SELECT sum(p.amount_ore) FILTER (WHERE r.payment_id IS NULL)
                                 FROM invoice_payment p JOIN invoice i USING (federation_id, invoice_id)
                                 LEFT JOIN invoice_payment_reversal r ON r.federation_id = p.federation_id AND r.payment_id = p.payment_id
                                 WHERE i.federation_id = m.federation_id AND i.member_id = m.member_id
                                   AND i.contribution_year = $2), 0)::int8 AS paid
                FROM member m
                LEFT JOIN contribution_share s ON s.federation_id = m.federation_id AND s.member_id = m.member_id AND s.fiscal_year = $2
                WHERE m.federation_id = $1 AND (s.member_id IS NOT NULL OR EXISTS (
                    SELECT 1 FROM invoice i WHERE i.federation_id = m.federation_id AND i.member_id = m.member_id AND i.contribution_year = $2))
                ORDER BY array_position(ARRAY['municipality', 'region', 'fk', 'af'], m.kind::text), m.code
                """, [found.id, year]
            ).rows.map { row in
                let invoiced = Money(öre: try row.decode(Int64.self, "invoiced"))
                let credited = Money(öre: try row.decode(Int64.self, "credited"))
                let paid = Money(öre: try row.decode(Int64.self, "paid"))
                return ContributionsReport.Row(
                    member: try row.decode(String.self, "code"), memberName: try row.decode(String.self, "name"),
                    planned: Money(öre: try row.decode(Int64.self, "planned")), invoiced: invoiced, credited: credited,
                    paid: paid, owed: try invoiced - credited - paid)
            }
            let total = try rows.reduce(ContributionsReport.Row(
                member: "", memberName: "Summa", planned: .zero, invoiced: .zero, credited: .zero, paid: .zero, owed: .zero)
            ) { sum, row in
                var next = sum
                try next.planned += row.planned
                try next.invoiced += row.invoiced
                try next.credited += row.credited
                try next.paid += row.paid
                try next.owed += row.owed
                return next
            }
            return ContributionsReport(federation: found.code, year: year, rows: rows, total: total)
        }
    }
}
