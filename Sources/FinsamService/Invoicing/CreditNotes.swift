public import FinsamCore
import Postgres

/// A credit note as issued: numbered in the invoices' series, referring to the invoice it credits.
public struct CreditNote: Sendable, Codable, Equatable {
    public var year: Int
    public var number: Int
    public var invoiceYear: Int
    public var invoiceNumber: Int
    public var member: String
    public var memberName: String
    public var issueDate: CalendarDate
    public var amount: Money
    public var reason: String
    public var voucher: VoucherReference
    /// The invoice's balance after the credit.
    public var invoice: InvoiceBalance
}

public struct CreditNotes: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Credits invoice `number` of `year` by `amount` (all that is left of it when nil), booked in the same
    /// transaction (the member's contribution account against the receivable). Refused, naming the invoice,
    /// when the amount is more than what is left of it after earlier credit notes.
    public func issue(
        invoiceNumber number: Int, year: Int, amount: Money?, reason: String, on date: CalendarDate, in federation: String,
        by user: User
    ) async throws -> CreditNote {
        guard !reason.trimmingSpaces.isEmpty else { throw ServiceError(.invalid, "ange varför fakturan krediteras", code: "credit-note.reason-missing") }
        if let amount, amount <= .zero { throw ServiceError.invalid("beloppet ska vara större än noll") }
        try PlainText.require(reason, "skälet", limit: PlainText.commentLimit, multiline: true)
        return try await database.write(user, .creditNoteIssue, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            try await InvoiceStore.lockInvoiceNumbers(c, federationID: found.id)
            guard let row = try await c.query(
                """
                SELECT i.invoice_id, i.total_ore, i.issue_date, m.code, m.name,
                       (SELECT account_number FROM invoice_line l WHERE l.federation_id = i.federation_id
                          AND l.invoice_id = i.invoice_id ORDER BY line_number LIMIT 1) AS account,
                       coalesce((SELECT sum(amount_ore) FROM credit_note n WHERE n.federation_id = i.federation_id
                                 AND n.invoice_id = i.invoice_id), 0)::int8 AS credited
                FROM invoice i JOIN member m USING (federation_id, member_id)
                WHERE i.federation_id = $1 AND i.fiscal_year = $2 AND i.number = $3 FOR UPDATE OF i
                """, [found.id, year, number]).first
            else { throw ServiceError.notFound("faktura \(number) för \(year) finns inte i \(found.code)") }
            let invoiceID = try row.decode(Int64.self, "invoice_id")
            let issued = try row.decode(PostgresDate.self, "issue_date").calendarDate()
            guard date >= issued else {
                throw ServiceError.invalid("kreditfakturan kan inte dateras \(date), före faktura \(number) (\(year)) från \(issued)")
            }
            let left = Money(öre: try row.decode(Int64.self, "total_ore") - (try row.decode(Int64.self, "credited")))
            guard left > .zero else { throw ServiceError.conflict("faktura \(number) (\(year)) är redan helt krediterad") }
            let credit = amount ?? left
            guard credit <= left else {
                throw ServiceError.invalid(
                    "kreditfakturan (\(SwedishNumberFormat.kronor(credit)) kr) är större än vad som återstår av faktura \(number) (\(year)): \(SwedishNumberFormat.kronor(left)) kr")
            }
            let member = try row.decode(String.self, "code")
            let account = try row.decode(Int.self, "account")
            let creditNumber = try await InvoiceStore.nextInvoiceNumber(c, federationID: found.id, year: date.year)
            let voucher = try await CreditNoteStore.insertCreditNote(c,
                number: creditNumber, invoiceID: invoiceID, invoiceNumber: number, invoiceYear: year, member: member,
                account: account, amount: credit, reason: reason, date: date, settlement: false, federationID: found.id,
                issuedBy: user.name)
            guard let balance = try await PaymentStore.invoiceBalances(c, federationID: found.id, at: date, invoiceID: invoiceID).first else {
                throw ServiceError(.unavailable, "fakturan försvann under krediteringen")
            }
            return CreditNote(
                year: date.year, number: creditNumber, invoiceYear: year, invoiceNumber: number, member: member,
                memberName: try row.decode(String.self, "name"), issueDate: date, amount: credit, reason: reason,
                voucher: voucher, invoice: balance)
        }
    }
}

/// The SQL of credit notes, and of the documents a Peppol export makes of them.
enum CreditNoteStore {
    /// Books and records credit note `number` (taken under `lockInvoiceNumbers`): the member's contribution account
    /// against the receivable, in the caller's transaction. The caller has checked the amount against what is left.
    static func insertCreditNote(_ c: isolated Connection,
        number: Int, invoiceID: Int64, invoiceNumber: Int, invoiceYear: Int, member: String, account: Int, amount: Money,
        reason: String, date: CalendarDate, settlement: Bool, federationID: Int64, issuedBy: String
    ) async throws -> VoucherReference {
        let receivables = try await PostingAccountStore.postingAccounts(c, federationID: federationID).receivables
        let draft = VoucherDraft(date: date, series: "F", text: "Kreditfaktura \(number) för faktura \(invoiceNumber) (\(invoiceYear)): \(reason)", lines: [
            .init(account: account, amount: amount, member: member),
            .init(account: receivables, amount: -amount, member: member),
        ])
        let inserted = try await VoucherStore.insertVoucher(c,
            draft, federationID: federationID, source: .invoice, sourceReference: "kreditfaktura \(date.year)-\(number)",
            idempotencyKey: nil, reverses: nil, postedBy: issuedBy)
        try await c.query(
            """
            INSERT INTO credit_note (federation_id, fiscal_year, number, invoice_id, issue_date, amount_ore, reason, voucher_id,
                issued_by, settlement)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, [federationID, date.year, number, invoiceID, PostgresDate(date), amount.öre, reason, inserted.id, issuedBy, settlement])
        return inserted.voucher.reference
    }
}
