public import FinsamCore
import Postgres

/// Where an invoice stands: its total, what has been paid, what is left, and the status that follows.
public struct InvoiceBalance: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case open, partlyPaid = "partly-paid", paid, overpaid

        public var swedishName: String {
            switch self {
            case .open: "obetald"
            case .partlyPaid: "delvis betald"
            case .paid: "betald"
            case .overpaid: "överbetald"
            }
        }

        /// `total` is what is owed after credit notes: an invoice credited in full and not paid is settled.
        static func of(total: Money, paid: Money) -> Status {
            if paid == total { return .paid }
            if paid == .zero { return .open }
            return paid < total ? .partlyPaid : .overpaid
        }
    }

    public var year: Int
    public var number: Int
    public var member: String
    public var memberName: String
    public var period: String
    public var issueDate: CalendarDate
    public var dueDate: CalendarDate
    public var ocr: String
    public var total: Money
    /// What credit notes have taken off the total.
    public var credited: Money
    public var paid: Money
    /// Total minus credited minus paid: negative when overpaid.
    public var remaining: Money
    public var status: Status
    /// Days past the due date at the date asked for (0 when not yet due or settled).
    public var daysOverdue: Int
}

/// The payment as registered, and the invoice's balance afterwards.
public struct RegisteredPayment: Sendable, Codable, Equatable {
    public var voucher: VoucherReference
    public var amount: Money
    public var paidOn: CalendarDate
    public var invoice: InvoiceBalance
}

/// A payment reversed: its voucher, the reversing voucher, and the invoice's balance afterwards.
public struct ReversedPayment: Sendable, Codable, Equatable {
    public var payment: VoucherReference
    public var reversal: VoucherReference
    public var amount: Money
    public var reversedOn: CalendarDate
    public var invoice: InvoiceBalance
}

/// Which invoice a payment is for: its number and year, or its OCR reference.
public enum InvoiceIdentifier: Sendable, Equatable {
    case number(year: Int, number: Int)
    case ocr(String)
}

public struct Payments: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Registers a payment by hand and books it (bank 1930 against the member's receivable 1510) in one
    /// transaction. An amount above what is left makes the invoice overpaid; it is still booked.
    public func register(
        _ amount: Money, on date: CalendarDate, for invoice: InvoiceIdentifier, reference: String?, in federation: String,
        by user: User
    ) async throws -> RegisteredPayment {
        guard amount > .zero else { throw ServiceError.invalid("beloppet ska vara större än noll") }
        try PlainText.require(reference, "referensen", limit: PlainText.referenceLimit)
        return try await database.write(user, .paymentRegister, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            return try await PaymentStore.registerPayment(c,
                amount, on: date, invoiceID: try await BankPaymentStore.invoiceID(c, invoice, federation: found), reference: reference,
                federationID: found.id, registeredBy: user.name)
        }
    }

    /// Reverses a payment registered by mistake, found by its voucher (`2024 I-3`): the payment's voucher is
    /// reversed by a new one dated `date` and the reversal recorded, in one transaction. A payment is reversed at
    /// most once, and not before it was paid.
    public func reverse(
        _ voucher: VoucherReference, on date: CalendarDate, reason: String, in federation: String, by user: User
    ) async throws -> ReversedPayment {
        guard !reason.trimmingSpaces.isEmpty else { throw ServiceError(.invalid, "ange varför betalningen återförs", code: "payment.reason-missing") }
        try PlainText.require(reason, "skälet", limit: PlainText.commentLimit, multiline: true)
        return try await database.write(user, .paymentReverse, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            guard let row = try await c.query(
                """
                SELECT p.payment_id, p.invoice_id, p.paid_on, p.amount_ore, v.voucher_id, i.fiscal_year, i.number,
                       EXISTS (SELECT 1 FROM invoice_payment_reversal r
                               WHERE r.federation_id = p.federation_id AND r.payment_id = p.payment_id) AS reversed
                FROM invoice_payment p
                JOIN voucher v ON v.federation_id = p.federation_id AND v.voucher_id = p.voucher_id
                JOIN invoice i ON i.federation_id = p.federation_id AND i.invoice_id = p.invoice_id
                WHERE p.federation_id = $1 AND v.fiscal_year = $2 AND v.series = $3 AND v.number = $4
                FOR UPDATE OF p
                """, [found.id, voucher.year, voucher.series, voucher.number]).first
            else { throw ServiceError.notFound("ingen inbetalning i \(found.code) är bokförd som \(voucher)") }
            guard try !row.decode(Bool.self, "reversed") else {
                throw ServiceError.conflict("inbetalningen \(voucher) är redan återförd")
            }
            let paidOn = try row.decode(PostgresDate.self, "paid_on").calendarDate()
            guard date >= paidOn else {
                throw ServiceError.invalid("återföringen kan inte dateras \(date), före inbetalningen \(paidOn)")
            }
            let amount = Money(öre: try row.decode(Int64.self, "amount_ore"))
            let number = try row.decode(Int.self, "number"), year = try row.decode(Int.self, "fiscal_year")
            let voucherID = try row.decode(Int64.self, "voucher_id")
            let original = try await VoucherStore.loadVoucher(c, federationID: found.id, id: voucherID)
            let inserted = try await VoucherStore.reverseVoucher(c,
                original, id: voucherID, federationID: found.id, on: date,
                text: "Återföring av \(voucher), faktura \(number) (\(year)): \(reason)", postedBy: user.name)
            try await c.query(
                """
                INSERT INTO invoice_payment_reversal (federation_id, payment_id, reversed_on, reason, voucher_id, reversed_by)
                VALUES ($1, $2, $3, $4, $5, $6)
                """, [found.id, try row.decode(Int64.self, "payment_id"), PostgresDate(date), reason, inserted.id, user.name])
            guard let balance = try await PaymentStore.invoiceBalances(c,
                federationID: found.id, at: date, invoiceID: try row.decode(Int64.self, "invoice_id")).first
            else { throw ServiceError(.unavailable, "fakturan försvann under återföringen") }
            return ReversedPayment(payment: voucher, reversal: inserted.voucher.reference, amount: amount, reversedOn: date, invoice: balance)
        }
    }

    /// Reskontra: every invoice of the federation not settled exactly (open, partly paid or overpaid) at `date`,
    /// counting the payments made by then, oldest first.
    public func openItems(in federation: String, at date: CalendarDate, member: String? = nil, by user: User) async throws -> [InvoiceBalance] {
        try await database.read(user, .invoiceRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            return try await PaymentStore.invoiceBalances(c, federationID: found.id, at: date, invoiceID: nil)
                .filter { $0.status != .paid && (member == nil || $0.member == member) }
        }
    }
}

/// The SQL of invoice payments: what is left of each invoice, and booking a payment.
enum PaymentStore {
    /// Each invoice issued by `date` with the payments made by then.
    static func invoiceBalances(_ c: isolated Connection, federationID: Int64, at date: CalendarDate, invoiceID: Int64?) async throws -> [InvoiceBalance] {
        try await PaymentStore.invoiceBalancesWithKeys(c, federationID: federationID, at: date, invoiceID: invoiceID).map(\.balance)
    }

    /// As `invoiceBalances`, with each invoice's id and its member's organisation number (for payment matching).
    static func invoiceBalancesWithKeys(_ c: isolated Connection,
        federationID: Int64, at date: CalendarDate, invoiceID: Int64?
    ) async throws -> [(id: Int64, organisationNumber: String, balance: InvoiceBalance)] {
        try await c.query(
            """
            SELECT i.invoice_id, m.orgnr, i.fiscal_year, i.number, m.code, m.name, i.contribution_year, i.installment, i.installments,
                   i.issue_date, i.due_date, i.ocr, i.total_ore,
                   (coalesce((SELECT sum(p.amount_ore) FROM invoice_payment p
                              WHERE p.federation_id = i.federation_id AND p.invoice_id = i.invoice_id AND p.paid_on <= $2), 0)
                    - coalesce((SELECT sum(p.amount_ore) FROM invoice_payment p JOIN invoice_payment_reversal r USING (federation_id, payment_id)
                              WHERE p.federation_id = i.federation_id AND p.invoice_id = i.invoice_id AND r.reversed_on <= $2), 0))::int8 AS paid_ore,
                   coalesce((SELECT sum(n.amount_ore) FROM credit_note n
                             WHERE n.federation_id = i.federation_id AND n.invoice_id = i.invoice_id AND n.issue_date <= $2), 0)::int8 AS credited_ore
            FROM invoice i JOIN member m ON m.federation_id = i.federation_id AND m.member_id = i.member_id
            WHERE i.federation_id = $1 AND i.issue_date <= $2 AND ($3::int8 IS NULL OR i.invoice_id = $3)
            ORDER BY i.due_date, i.fiscal_year, i.number
            """, [federationID, PostgresDate(date), invoiceID]
        ).rows.map { row in
            let installments = try row.decode(Int.self, "installments")
            let schedule = try InvoiceSchedule.stored(installments: installments)
            let total = Money(öre: try row.decode(Int64.self, "total_ore"))
            let paid = Money(öre: try row.decode(Int64.self, "paid_ore"))
            let credited = Money(öre: try row.decode(Int64.self, "credited_ore"))
            let status = InvoiceBalance.Status.of(total: try total - credited, paid: paid)
            let due = try row.decode(PostgresDate.self, "due_date").calendarDate()
            let overdue = status == .open || status == .partlyPaid ? max(0, date.daysSinceEpoch - due.daysSinceEpoch) : 0
            return (try row.decode(Int64.self, "invoice_id"), try row.decode(String.self, "orgnr"), InvoiceBalance(
                year: try row.decode(Int.self, "fiscal_year"), number: try row.decode(Int.self, "number"),
                member: try row.decode(String.self, "code"), memberName: try row.decode(String.self, "name"),
                period: schedule.label(year: try row.decode(Int.self, "contribution_year"), installment: try row.decode(Int.self, "installment")),
                issueDate: try row.decode(PostgresDate.self, "issue_date").calendarDate(), dueDate: due,
                ocr: try row.decode(String.self, "ocr"), total: total, credited: credited, paid: paid,
                remaining: try total - credited - paid, status: status,
                daysOverdue: overdue))
        }
    }
}

extension PaymentStore {
    /// Books a payment of one invoice and records it, within the caller's transaction (the invoice row is locked,
    /// so two payments of one invoice are counted one after the other).
    static func registerPayment(_ c: isolated Connection,
        _ amount: Money, on date: CalendarDate, invoiceID: Int64, reference: String?, federationID: Int64, registeredBy: String
    ) async throws -> RegisteredPayment {
        try await PaymentStore.bookPayment(c,
            amount, on: date, invoiceID: invoiceID, reference: reference, federationID: federationID, registeredBy: registeredBy
        ).payment
    }

    /// `registerPayment`, also returning the new invoice payment's id (a bank payment links to it).
    static func bookPayment(_ c: isolated Connection,
        _ amount: Money, on date: CalendarDate, invoiceID: Int64, reference: String?, federationID: Int64, registeredBy: String
    ) async throws -> (id: Int64, payment: RegisteredPayment) {
        guard let row = try await c.query(
            """
            SELECT i.fiscal_year, i.number, i.issue_date, m.code FROM invoice i JOIN member m USING (federation_id, member_id)
            WHERE i.federation_id = $1 AND i.invoice_id = $2 FOR UPDATE OF i
            """, [federationID, invoiceID]).first
        else { throw ServiceError.notFound("fakturan finns inte") }
        let year = try row.decode(Int.self, "fiscal_year")
        let number = try row.decode(Int.self, "number")
        let issued = try row.decode(PostgresDate.self, "issue_date").calendarDate()
        guard date >= issued else {
            throw ServiceError.invalid("en inbetalning den \(date) kan inte gälla faktura \(number) (\(year)), som är daterad \(issued)")
        }
        let member = try row.decode(String.self, "code")
        let accounts = try await PostingAccountStore.postingAccounts(c, federationID: federationID)
        let draft = VoucherDraft(date: date, series: "I", text: "Inbetalning faktura \(number) (\(year)), \(member)", lines: [
            .init(account: accounts.bank, amount: amount, member: member),
            .init(account: accounts.receivables, amount: -amount, member: member),
        ])
        let inserted = try await VoucherStore.insertVoucher(c,
            draft, federationID: federationID, source: .payment, sourceReference: "faktura \(year)-\(number)",
            idempotencyKey: nil, reverses: nil, postedBy: registeredBy)
        let paymentID = try await c.query(
            """
            INSERT INTO invoice_payment (federation_id, invoice_id, paid_on, amount_ore, reference, voucher_id, registered_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING payment_id
            """, [federationID, invoiceID, PostgresDate(date), amount.öre, reference, inserted.id, registeredBy]).scalar(Int64.self)
        guard let balance = try await PaymentStore.invoiceBalances(c, federationID: federationID, at: date, invoiceID: invoiceID).first else {
            throw ServiceError(.unavailable, "fakturan försvann under registreringen")
        }
        return (paymentID, RegisteredPayment(voucher: inserted.voucher.reference, amount: amount, paidOn: date, invoice: balance))
    }
}
