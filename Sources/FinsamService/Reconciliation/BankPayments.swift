public import FinsamCore
public import Foundation
import Postgres

/// The bank payments read from bank files: those still waiting for someone to say which invoice they pay, and
/// that decision.
public struct BankPayments: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Every bank payment and deduction of the federation not allocated to an invoice, oldest first.
    public func unmatched(in federation: String, by user: User) async throws -> [BankPayment] {
        try await database.read(user, .reportRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            return try await BankPaymentStore.bankPayments(c, federationID: found.id, onlyUnmatched: true, id: nil)
        }
    }

    /// The bank files read into the federation, newest first: when, by whom, and what became of their payments.
    public func files(in federation: String, by user: User) async throws -> [ImportedBankFile] {
        try await database.read(user, .reportRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            return try await c.query(
                """
                SELECT f.import_file_id, f.file_name, f.kind, f.imported_at, f.imported_by,
                       (SELECT count(*) FROM bank_deposit d WHERE d.federation_id = f.federation_id AND d.import_file_id = f.import_file_id) AS deposits,
                       count(b.bank_payment_id) AS payments,
                       count(b.bank_payment_id) FILTER (WHERE b.unmatched_reason IS NOT NULL) AS waiting,
                       coalesce(sum(CASE b.kind WHEN 'deduction' THEN -b.amount_ore ELSE b.amount_ore END), 0)::int8 AS amount_ore
                FROM import_file f
                LEFT JOIN bank_deposit d ON d.federation_id = f.federation_id AND d.import_file_id = f.import_file_id
                LEFT JOIN bank_payment b ON b.federation_id = d.federation_id AND b.bank_deposit_id = d.bank_deposit_id
                WHERE f.federation_id = $1 AND f.kind = 'bgmax'
                GROUP BY f.federation_id, f.import_file_id
                ORDER BY f.imported_at DESC, f.import_file_id DESC
                """, [found.id]
            ).rows.map { row in
                ImportedBankFile(
                    id: try row.decode(Int64.self, "import_file_id"), fileName: try row.decode(String.self, "file_name"),
                    format: try row.decode(String.self, "kind"), importedAt: try row.decode(Date.self, "imported_at"),
                    importedBy: try row.decode(String.self, "imported_by"), deposits: try row.decode(Int.self, "deposits"),
                    payments: try row.decode(Int.self, "payments"), waiting: try row.decode(Int.self, "waiting"),
                    amount: Money(öre: try row.decode(Int64.self, "amount_ore")))
            }
        }
    }

    /// Allocates a waiting bank payment, whole, to one invoice and books it like any payment of that invoice.
    /// Deductions are settled with a voucher (`settle`), not here.
    public func match(
        _ bankPaymentID: Int64, to invoice: InvoiceIdentifier, in federation: String, by user: User
    ) async throws -> BankPayment {
        try await match(bankPaymentID, to: [(invoice, nil)], in: federation, by: user)
    }

    /// Allocates a waiting bank payment to one invoice (amount nil: the whole payment) or splits it over several,
    /// each with its amount; the amounts must add up to the payment exactly. Each part is booked as a payment of
    /// its invoice, all in one transaction.
    public func match(
        _ bankPaymentID: Int64, to parts: [(invoice: InvoiceIdentifier, amount: Money?)], in federation: String, by user: User
    ) async throws -> BankPayment {
        guard !parts.isEmpty else { throw ServiceError.invalid("ange minst en faktura") }
        if parts.count > 1, parts.contains(where: { $0.amount == nil }) {
            throw ServiceError.invalid("när betalningen delas på flera fakturor ska varje faktura ha sitt belopp")
        }
        if parts.contains(where: { ($0.amount ?? Money(öre: 1)) <= .zero }) {
            throw ServiceError.invalid("varje belopp ska vara större än noll")
        }
        return try await database.write(user, .bankPaymentSettle, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            guard let row = try await c.query(
                """
                SELECT kind, amount_ore, paid_on, reference, unmatched_reason FROM bank_payment
                WHERE federation_id = $1 AND bank_payment_id = $2 FOR UPDATE
                """, [found.id, bankPaymentID]).first
            else { throw ServiceError.notFound("ingen bankbetalning \(bankPaymentID) i \(found.code)") }
            guard try row.decode(String?.self, "unmatched_reason") != nil else {
                throw ServiceError.conflict("bankbetalning \(bankPaymentID) är redan kopplad till en faktura eller verifikation")
            }
            guard try row.decode(String.self, "kind") == BankPayment.Kind.payment.rawValue else {
                throw ServiceError(.invalid, "bankbetalning \(bankPaymentID) är ett avdrag och regleras med en verifikation",
                    code: "bank-payment.deduction", arguments: ["federation": found.code, "bankPayment": String(bankPaymentID)])
            }
            let total = Money(öre: try row.decode(Int64.self, "amount_ore"))
            let amounts = parts.map { $0.amount ?? total }
            let sum = try amounts.sum()
            guard sum == total else {
                throw ServiceError.invalid(
                    "beloppen summerar till \(SwedishNumberFormat.kronor(sum)) kr, men bankbetalningen är \(SwedishNumberFormat.kronor(total)) kr")
            }
            let paidOn = try row.decode(PostgresDate.self, "paid_on").calendarDate()
            let reference = try row.decode(String?.self, "reference")
            for (part, amount) in zip(parts, amounts) {
                _ = try await BankFileStore.allocate(c,
                    bankPaymentID: bankPaymentID, amount: amount, paidOn: paidOn, invoiceID: try await BankPaymentStore.invoiceID(c, part.invoice, federation: found),
                    reference: reference, method: .hand, federationID: found.id, user: user)
            }
            try await c.query(
                "UPDATE bank_payment SET unmatched_reason = NULL WHERE federation_id = $1 AND bank_payment_id = $2",
                [found.id, bankPaymentID])
            return try await BankPaymentStore.bankPayments(c, federationID: found.id, onlyUnmatched: false, id: bankPaymentID)[0]
        }
    }

    /// Settles a waiting bank payment or deduction that pays no invoice with a voucher already posted (bank 1930
    /// against the account it belongs to): the voucher's lines on 1930 must equal the payment as it reached the
    /// bank, a deduction negative. A voucher settles one bank payment.
    public func settle(
        _ bankPaymentID: Int64, with voucher: VoucherReference, in federation: String, by user: User
    ) async throws -> BankPayment {
        try await database.write(user, .bankPaymentSettle, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            guard let row = try await c.query(
                """
                SELECT (CASE kind WHEN 'deduction' THEN -amount_ore ELSE amount_ore END)::int8 AS signed_ore, unmatched_reason
                FROM bank_payment WHERE federation_id = $1 AND bank_payment_id = $2 FOR UPDATE
                """, [found.id, bankPaymentID]).first
            else { throw ServiceError.notFound("ingen bankbetalning \(bankPaymentID) i \(found.code)") }
            guard try row.decode(String?.self, "unmatched_reason") != nil else {
                throw ServiceError.conflict("bankbetalning \(bankPaymentID) är redan kopplad till en faktura eller verifikation")
            }
            let bank = try await PostingAccountStore.postingAccounts(c, federationID: found.id).bank
            guard let posted = try await c.query(
                """
                SELECT v.voucher_id,
                       coalesce((SELECT sum(l.amount_ore) FROM voucher_line l
                                 WHERE l.federation_id = v.federation_id AND l.voucher_id = v.voucher_id
                                   AND l.account_number = $5), 0)::int8 AS bank_ore,
                       EXISTS (SELECT 1 FROM bank_payment_voucher s WHERE s.federation_id = v.federation_id AND s.voucher_id = v.voucher_id) AS used
                FROM voucher v WHERE v.federation_id = $1 AND v.fiscal_year = $2 AND v.series = $3 AND v.number = $4
                """, [found.id, voucher.year, voucher.series, voucher.number, bank]).first
            else { throw ServiceError.notFound("verifikation \(voucher) finns inte i \(found.code)") }
            guard try !posted.decode(Bool.self, "used") else {
                throw ServiceError.conflict("verifikation \(voucher) reglerar redan en annan bankbetalning")
            }
            let expected = Money(öre: try row.decode(Int64.self, "signed_ore"))
            let onBank = Money(öre: try posted.decode(Int64.self, "bank_ore"))
            guard onBank == expected else {
                throw ServiceError.invalid(
                    "verifikation \(voucher) bokför \(SwedishNumberFormat.kronor(onBank)) kr på bankkontot \(bank), "
                    + "men bankbetalningen är \(SwedishNumberFormat.kronor(expected)) kr")
            }
            try await c.query(
                "INSERT INTO bank_payment_voucher (federation_id, bank_payment_id, voucher_id, settled_by) VALUES ($1, $2, $3, $4)",
                [found.id, bankPaymentID, try posted.decode(Int64.self, "voucher_id"), user.name])
            try await c.query(
                "UPDATE bank_payment SET unmatched_reason = NULL WHERE federation_id = $1 AND bank_payment_id = $2",
                [found.id, bankPaymentID])
            return try await BankPaymentStore.bankPayments(c, federationID: found.id, onlyUnmatched: false, id: bankPaymentID)[0]
        }
    }
}

/// A bank file as read: its deposits and payments (a deduction counted negative), and how many still wait.
public struct ImportedBankFile: Sendable, Codable, Equatable {
    public var id: Int64
    public var fileName: String
    public var format: String
    public var importedAt: Date
    public var importedBy: String
    /// Deposits read from this file (those an earlier file brought are not counted again).
    public var deposits: Int
    public var payments: Int
    public var waiting: Int
    public var amount: Money
}

/// The SQL of bank payments: the unmatched queue and finding the invoice a payment names.
enum BankPaymentStore {
    /// The invoice `identifier` names in `federation`, or a not-found error that says which.
    static func invoiceID(_ c: isolated Connection, _ identifier: InvoiceIdentifier, federation: Federation) async throws -> Int64 {
        switch identifier {
        case .number(let year, let number):
            guard let row = try await c.query(
                "SELECT invoice_id FROM invoice WHERE federation_id = $1 AND fiscal_year = $2 AND number = $3",
                [federation.id, year, number]).first
            else { throw ServiceError.notFound("faktura \(number) för \(year) finns inte i \(federation.code)") }
            return try row.decode(Int64.self, "invoice_id")
        case .ocr(let text):
            guard OCRReference(checking: text) != nil else {
                throw ServiceError.invalid("OCR-numret \(text) har fel kontrollsiffra eller längdsiffra")
            }
            guard let row = try await c.query(
                "SELECT invoice_id FROM invoice WHERE federation_id = $1 AND ocr = $2", [federation.id, text]).first
            else { throw ServiceError.notFound("ingen faktura i \(federation.code) har OCR-numret \(text)") }
            return try row.decode(Int64.self, "invoice_id")
        }
    }

    static func bankPayments(_ c: isolated Connection, federationID: Int64, onlyUnmatched: Bool, id: Int64?) async throws -> [BankPayment] {
        let allocations = try await c.query(
            """
            SELECT a.bank_payment_id, a.matched_by, i.fiscal_year AS invoice_year, i.number AS invoice_number, m.code, m.name,
                   p.amount_ore, v.fiscal_year, v.series, v.number
            FROM bank_payment_allocation a
            JOIN invoice_payment p ON p.federation_id = a.federation_id AND p.payment_id = a.payment_id
            JOIN invoice i ON i.federation_id = p.federation_id AND i.invoice_id = p.invoice_id
            JOIN member m ON m.federation_id = i.federation_id AND m.member_id = i.member_id
            JOIN voucher v ON v.federation_id = p.federation_id AND v.voucher_id = p.voucher_id
            WHERE a.federation_id = $1 AND ($2::int8 IS NULL OR a.bank_payment_id = $2) AND NOT $3
            ORDER BY a.bank_payment_id, p.payment_id
            """, [federationID, id, onlyUnmatched]
        ).rows.map { row in
            (try row.decode(Int64.self, "bank_payment_id"), BankPaymentAllocation(
                invoiceYear: try row.decode(Int.self, "invoice_year"), invoiceNumber: try row.decode(Int.self, "invoice_number"),
                member: try row.decode(String.self, "code"), memberName: try row.decode(String.self, "name"),
                amount: Money(öre: try row.decode(Int64.self, "amount_ore")),
                voucher: VoucherReference(
                    year: try row.decode(Int.self, "fiscal_year"), series: try row.decode(String.self, "series"),
                    number: try row.decode(Int.self, "number")),
                matchedBy: BankPaymentAllocation.Method(rawValue: try row.decode(String.self, "matched_by")) ?? .hand))
        }
        let byPayment = Dictionary(grouping: allocations, by: \.0).mapValues { $0.map(\.1) }
        return try await c.query(
            """
            SELECT b.bank_payment_id, b.paid_on, b.kind, b.amount_ore, b.reference, b.extra_references, b.payer_name, b.payer_orgnr,
                   b.information, b.source_line, b.unmatched_reason, v.fiscal_year, v.series, v.number
            FROM bank_payment b
            LEFT JOIN bank_payment_voucher s ON s.federation_id = b.federation_id AND s.bank_payment_id = b.bank_payment_id
            LEFT JOIN voucher v ON v.federation_id = s.federation_id AND v.voucher_id = s.voucher_id
            WHERE b.federation_id = $1 AND ($2::int8 IS NULL OR b.bank_payment_id = $2) AND (NOT $3 OR b.unmatched_reason IS NOT NULL)
            ORDER BY b.paid_on, b.bank_payment_id
            """, [federationID, id, onlyUnmatched]
        ).rows.map { row in
            let id = try row.decode(Int64.self, "bank_payment_id")
            return BankPayment(
                id: id, paidOn: try row.decode(PostgresDate.self, "paid_on").calendarDate(),
                kind: BankPayment.Kind(rawValue: try row.decode(String.self, "kind")) ?? .payment,
                amount: Money(öre: try row.decode(Int64.self, "amount_ore")), reference: try row.decode(String?.self, "reference"),
                extraReferences: try row.decode([String].self, "extra_references"), payerName: try row.decode(String?.self, "payer_name"),
                payerOrganisationNumber: try row.decode(String?.self, "payer_orgnr"),
                information: try row.decode([String].self, "information"), fileLine: try row.decode(Int.self, "source_line"),
                allocations: byPayment[id] ?? [],
                settlement: try row.decode(Int?.self, "fiscal_year").map { year in
                    VoucherReference(year: year, series: try row.decode(String.self, "series"), number: try row.decode(Int.self, "number"))
                },
                unmatchedReason: try row.decode(String?.self, "unmatched_reason"))
        }
    }
}
