public import FinsamCore
import Postgres

/// A contribution invoice as issued: numbered, with its OCR reference and the voucher that booked it.
public struct Invoice: Sendable, Codable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        public var description: String
        public var account: Int
        public var amount: Money
    }

    public var year: Int
    public var number: Int
    public var member: String
    public var memberName: String
    public var contributionYear: Int
    public var installment: Int
    public var installments: Int
    public var period: String
    public var issueDate: CalendarDate
    public var dueDate: CalendarDate
    public var buyerReference: String?
    public var ocr: String
    public var total: Money
    /// The voucher that booked it (nil in a preview).
    public var voucher: VoucherReference?
    public var lines: [Line]
}

public struct InvoiceRunResult: Sendable, Codable, Equatable {
    public var federation: String
    public var period: String
    public var preview: Bool
    /// The invoices this run issued (or, in a preview, would issue).
    public var invoices: [Invoice]
    /// Installments of the period that were invoiced before: not invoiced again.
    public var alreadyInvoiced: Int
}

/// Fakturering av medlemsbidrag: a run issues, for one federation and period, every installment of the
/// year's contribution plan that falls in the period and has not been invoiced yet, each with its voucher
/// (receivable against the member's contribution account) in the same transaction. Running it again issues
/// nothing new; two runs started at once are serialized (an advisory lock per federation), and the database
/// refuses a second invoice for the same installment in any case.
public struct InvoiceRuns: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func run(
        _ federation: String, period: InvoicePeriod, issueDate: CalendarDate, preview: Bool = false, by user: User
    ) async throws -> InvoiceRunResult {
        try await database.write(user) { c in
            try await c.runInvoices(federation, period: period, issueDate: issueDate, preview: preview, issuedBy: user.name)
        }
    }
}

extension InvoiceSchedule {
    /// The schedule of an invoice row (the table allows 1, 2 or 4 installments).
    static func stored(installments: Int) throws -> InvoiceSchedule {
        guard let schedule = InvoiceSchedule(installments: installments) else {
            throw ServiceError(.unavailable, "en faktura i databasen har \(installments) delbetalningar per år")
        }
        return schedule
    }
}

extension Connection {
    /// Serializes whatever takes numbers from a federation's invoice series (runs and credit notes), so that the
    /// number computed before an insert is the one the database hands out.
    func lockInvoiceNumbers(federationID: Int64) async throws {
        try await query("SELECT pg_advisory_xact_lock(hashtext('finsam invoice numbers'), $1::int)", [federationID])
    }

    /// The next number of the federation's invoice series for `year` (call under `lockInvoiceNumbers`).
    func nextInvoiceNumber(federationID: Int64, year: Int) async throws -> Int {
        try await query(
            "SELECT coalesce((SELECT last_number FROM invoice_series_counter WHERE federation_id = $1 AND fiscal_year = $2), 0) + 1",
            [federationID, year]).scalar(Int.self)
    }

    func runInvoices(
        _ federationCode: String, period: InvoicePeriod, issueDate: CalendarDate, preview: Bool, issuedBy: String
    ) async throws -> InvoiceRunResult {
        let federation = try await self.federation(federationCode)
        try await lockInvoiceNumbers(federationID: federation.id)
        let dueDate = issueDate.adding(days: try await invoiceSettings(federationID: federation.id).dueDays)

        let shares = try await query(
            """
            SELECT m.member_id, m.code, m.name, m.kind::text, m.invoice_schedule::text, m.buyer_reference, s.amount_ore
            FROM contribution_share s JOIN member m USING (federation_id, member_id)
            WHERE s.federation_id = $1 AND s.fiscal_year = $2 AND s.amount_ore > 0
            ORDER BY array_position(ARRAY['municipality', 'region', 'fk', 'af'], m.kind::text), m.code
            """, [federation.id, period.year])
        let hasPlan = try await query(
            "SELECT EXISTS (SELECT 1 FROM contribution_plan WHERE federation_id = $1 AND fiscal_year = $2)",
            [federation.id, period.year]).scalar(Bool.self)
        guard hasPlan else {
            throw ServiceError.notFound("\(federation.code) har ingen plan för medlemsbidragen \(period.year); gör den med contributions plan")
        }
        var invoiced = Set<String>()
        for row in try await query(
            "SELECT member_id, installment FROM invoice WHERE federation_id = $1 AND contribution_year = $2",
            [federation.id, period.year]
        ).rows {
            invoiced.insert("\(try row.decode(Int64.self, at: 0)):\(try row.decode(Int.self, at: 1))")
        }
        var revenueAccounts: [String: Int] = [:]
        for row in try await query(
            "SELECT member_kind::text, min(account_number) FROM account WHERE federation_id = $1 AND member_kind IS NOT NULL GROUP BY 1",
            [federation.id]
        ).rows {
            revenueAccounts[try row.decode(String.self, at: 0)] = try row.decode(Int.self, at: 1)
        }
        var nextNumber = try await nextInvoiceNumber(federationID: federation.id, year: issueDate.year)

        var invoices: [Invoice] = []
        var already = 0
        for row in shares.rows {
            let memberID = try row.decode(Int64.self, "member_id")
            let kind = try row.decode(String.self, "kind")
            guard let schedule = InvoiceSchedule(rawValue: try row.decode(String.self, "invoice_schedule")) else { continue }
            let name = try row.decode(String.self, "name")
            let code = try row.decode(String.self, "code")
            guard let account = revenueAccounts[kind] else {
                throw ServiceError.invalid("kontoplanen saknar ett medlemsbidragskonto för \(MemberKind(rawValue: kind)?.swedishName ?? kind) (\(name))")
            }
            let parts = schedule.split(try row.decode(Int64.self, "amount_ore") / 100)
            for installment in 1...schedule.installments where period.months.contains(schedule.month(ofInstallment: installment)) {
                if invoiced.contains("\(memberID):\(installment)") {
                    already += 1
                    continue
                }
                let label = schedule.label(year: period.year, installment: installment)
                let amount = Money(kronor: parts[installment - 1])
                let number = nextNumber
                nextNumber += 1
                let ocr = OCRReference.forInvoice(year: issueDate.year, number: number)
                let description = "Medlemsbidrag \(label)"
                var voucher: VoucherReference?
                if !preview {
                    let draft = VoucherDraft(date: issueDate, series: "F", text: "Faktura \(number): \(description), \(name)", lines: [
                        .init(account: 1510, amount: amount, member: code),
                        .init(account: account, amount: -amount, member: code),
                    ])
                    let inserted = try await insertVoucher(
                        draft, federationID: federation.id, source: .invoice,
                        sourceReference: "faktura \(issueDate.year)-\(number)", idempotencyKey: nil, reverses: nil,
                        postedBy: issuedBy)
                    voucher = inserted.voucher.reference
                    let invoiceID = try await query(
                        """
                        INSERT INTO invoice (federation_id, fiscal_year, number, member_id, contribution_year, installment,
                            installments, issue_date, due_date, buyer_reference, ocr, total_ore, voucher_id, issued_by)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING invoice_id
                        """,
                        [federation.id, issueDate.year, number, memberID, period.year, installment, schedule.installments,
                         PostgresDate(issueDate), PostgresDate(dueDate), try row.decode(String?.self, "buyer_reference"),
                         ocr.digits, amount.öre, inserted.id, issuedBy]
                    ).scalar(Int64.self)
                    try await query(
                        """
                        INSERT INTO invoice_line (federation_id, invoice_id, line_number, description, account_number, amount_ore)
                        VALUES ($1, $2, 1, $3, $4, $5)
                        """, [federation.id, invoiceID, description, account, amount.öre])
                }
                invoices.append(Invoice(
                    year: issueDate.year, number: number, member: code, memberName: name, contributionYear: period.year,
                    installment: installment, installments: schedule.installments, period: label, issueDate: issueDate,
                    dueDate: dueDate, buyerReference: try row.decode(String?.self, "buyer_reference"), ocr: ocr.digits,
                    total: amount, voucher: voucher,
                    lines: [Invoice.Line(description: description, account: account, amount: amount)]))
            }
        }
        return InvoiceRunResult(
            federation: federation.code, period: period.description, preview: preview, invoices: invoices,
            alreadyInvoiced: already)
    }
}
