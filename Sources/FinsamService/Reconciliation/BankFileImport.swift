public import FinsamCore
import Postgres

/// Reads a bank file of incoming payments (Bankgirot's BgMax) into a federation, in one transaction: records the
/// file, its deposits and payments; matches each payment to an invoice by OCR reference, then by amount and payer
/// (`PaymentMatching`); books what matched (bank 1930 against the member's receivable 1510, series I, as a payment
/// registered by hand) and keeps what did not, with the reason, for `BankPayments.match`.
///
/// Nothing is imported twice: the same bytes again do nothing, and a deposit an earlier file brought (same
/// bankgiro, day and Bankgirot serial number) is skipped. A file whose deposits are for another bankgiro than the
/// federation's, a test file, or a file that does not add up is refused whole, and nothing is written.
public struct BankFileImport: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func bgMax(_ bytes: [UInt8], fileName: String, into federation: String, by user: User) async throws -> BankFileImportSummary {
        let file: BgMaxFile
        do { file = try BgMaxParser.parse(bytes) } catch { throw ServiceError.invalid("\(fileName): \(error)") }
        guard !file.isTest else {
            throw ServiceError.invalid("\(fileName) är en testfil från Bankgirot (T i startposten): dess betalningar bokförs inte")
        }
        return try await database.write(user) { c in
            let found = try await c.federation(federation)
            // One import at a time per federation: a second waits, then finds the first one's file and deposits.
            try await c.query("SELECT pg_advisory_xact_lock(hashtext('finsam.bank-file-import'), $1::int4)", [Int32(truncatingIfNeeded: found.id)])
            guard let bankgiro = try await c.invoiceSettings(federationID: found.id).bankgiro else {
                throw ServiceError.invalid("\(found.code) har inget bankgironummer: ange det med `finsam federation set \(found.code) --bankgiro NNN-NNNN` först")
            }
            let digits = bankgiro.filter { $0 != "-" }
            for deposit in file.deposits where deposit.bankgiro != digits {
                throw ServiceError.invalid(
                    "\(fileName): rad \(deposit.line): insättningen gäller bankgiro \(Self.hyphenated(deposit.bankgiro)), men \(found.code) har bankgiro \(bankgiro)")
            }
            for deposit in file.deposits where deposit.currency != "SEK" {
                throw ServiceError.invalid("\(fileName): rad \(deposit.line): insättningen är i \(deposit.currency); bara SEK bokförs")
            }
            var summary = BankFileImportSummary(
                fileName: fileName, format: "bgmax", writtenAt: file.writtenAt, alreadyImported: false, deposits: 0,
                depositsAlreadyImported: 0, payments: [])
            if try await c.query(
                "SELECT 1 FROM import_file WHERE federation_id = $1 AND kind = 'bgmax' AND sha256 = sha256($2)",
                [found.id, PostgresBytes(bytes)]).first != nil
            {
                summary.alreadyImported = true
                return summary
            }

            var newDeposits: [BgMaxDeposit] = []
            for deposit in file.deposits {
                let seen = try await c.query(
                    "SELECT 1 FROM bank_deposit WHERE federation_id = $1 AND bankgiro = $2 AND payment_date = $3 AND serial_number = $4",
                    [found.id, deposit.bankgiro, PostgresDate(deposit.paymentDate), deposit.serialNumber]).first != nil
                if seen { summary.depositsAlreadyImported += 1 } else { newDeposits.append(deposit) }
            }
            let plan = try await c.planMatches(of: newDeposits, federationID: found.id)
            let fileID = try await c.query(
                """
                INSERT INTO import_file (federation_id, kind, file_name, sha256, voucher_count, imported_by)
                VALUES ($1, 'bgmax', $2, sha256($3), $4, $5) RETURNING import_file_id
                """, [found.id, fileName, PostgresBytes(bytes), plan.values.reduce(0) { $0 + $1.allocationCount }, user.name]
            ).scalar(Int64.self)

            for deposit in newDeposits {
                let depositID = try await c.query(
                    """
                    INSERT INTO bank_deposit (federation_id, import_file_id, bankgiro, payment_date, serial_number, amount_ore, currency)
                    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING bank_deposit_id
                    """, [found.id, fileID, deposit.bankgiro, PostgresDate(deposit.paymentDate), deposit.serialNumber,
                          deposit.amount.öre, deposit.currency]
                ).scalar(Int64.self)
                summary.deposits += 1
                for (index, payment) in deposit.payments.enumerated() {
                    let match = plan[payment.line]!
                    var stored = try await c.insertBankPayment(
                        payment, position: index + 1, depositID: depositID, paidOn: deposit.paymentDate,
                        unmatchedReason: match.reason, federationID: found.id)
                    if case .matched(let method, let allocations) = match.result {
                        for allocation in allocations {
                            stored.allocations.append(try await c.allocate(
                                bankPaymentID: stored.id, amount: allocation.amount, paidOn: deposit.paymentDate,
                                invoiceID: allocation.invoiceID, reference: payment.reference, method: .init(method),
                                federationID: found.id, user: user))
                        }
                    }
                    summary.payments.append(stored)
                }
            }
            return summary
        }
    }
}

extension BankFileImport {
    /// A bankgiro number as people write it: `991-2346`, `5050-1055`.
    static func hyphenated(_ digits: String) -> String {
        digits.count >= 7 ? "\(digits.dropLast(4))-\(digits.suffix(4))" : digits
    }
}

/// What the import decided for one payment of the file.
struct PlannedMatch {
    var result: PaymentMatch

    var reason: String? {
        if case .unmatched(let reason) = result { return reason }
        return nil
    }

    var allocationCount: Int {
        if case .matched(_, let allocations) = result { return allocations.count }
        return 0
    }
}

extension Connection {
    /// Decides every payment of `deposits` before anything is written, keyed by the payment's line. Payments
    /// earlier in the file count against the invoices they pay, so two payments of one invoice are seen in turn.
    func planMatches(of deposits: [BgMaxDeposit], federationID: Int64) async throws -> [Int: PlannedMatch] {
        var paidInThisFile: [Int64: Money] = [:]
        var invoicesByDate: [CalendarDate: [MatchableInvoice]] = [:]
        var plan: [Int: PlannedMatch] = [:]
        for deposit in deposits {
            if invoicesByDate[deposit.paymentDate] == nil {
                invoicesByDate[deposit.paymentDate] = try await invoiceBalancesWithKeys(
                    federationID: federationID, at: deposit.paymentDate, invoiceID: nil
                ).map { MatchableInvoice(id: $0.id, ocr: $0.balance.ocr, organisationNumber: $0.organisationNumber, remaining: $0.balance.remaining) }
            }
            let invoicesAtDate = invoicesByDate[deposit.paymentDate]!
            for payment in deposit.payments {
                guard payment.kind == .payment else {
                    plan[payment.line] = PlannedMatch(result: .unmatched(reason:
                        "avdrag på \(SwedishNumberFormat.kronor(payment.amount)) kr (oftast en kreditnota som betalaren har dragit av): stäms av för hand"))
                    continue
                }
                let incoming = IncomingPayment(
                    amount: payment.amount,
                    references: [payment.reference].compactMap { $0 } + payment.extraReferences.filter { !$0.isNegative }.map(\.reference),
                    payerIdentity: payment.payerOrganisationNumber)
                let invoices = invoicesAtDate.map { invoice in
                    var invoice = invoice
                    invoice.remaining -= paidInThisFile[invoice.id] ?? .zero
                    return invoice
                }
                let result = PaymentMatching.match(incoming, among: invoices)
                if case .matched(_, let allocations) = result {
                    for allocation in allocations { paidInThisFile[allocation.invoiceID, default: .zero] += allocation.amount }
                }
                plan[payment.line] = PlannedMatch(result: result)
            }
        }
        return plan
    }

    func insertBankPayment(
        _ payment: BgMaxPayment, position: Int, depositID: Int64, paidOn: CalendarDate, unmatchedReason: String?, federationID: Int64
    ) async throws -> BankPayment {
        let kind: BankPayment.Kind = payment.kind == .payment ? .payment : .deduction
        let payer = payment.payerOrganisationNumber.flatMap(PaymentMatching.organisationNumber(from:))
        let extra = payment.extraReferences.map { ($0.isNegative ? "-" : "") + $0.reference }
        let id = try await query(
            """
            INSERT INTO bank_payment (federation_id, bank_deposit_id, position, kind, amount_ore, paid_on, reference, extra_references,
                                      reference_code, bgc_serial, sender_bankgiro, payer_name, payer_orgnr, information,
                                      unmatched_reason, source_line)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING bank_payment_id
            """, [federationID, depositID, position, kind.rawValue, payment.amount.öre, PostgresDate(paidOn), payment.reference, extra,
                  payment.referenceCode.rawValue, payment.bgcSerialNumber, payment.senderBankgiro, payment.payerName, payer,
                  payment.information, unmatchedReason, payment.line]
        ).scalar(Int64.self)
        return BankPayment(
            id: id, paidOn: paidOn, kind: kind, amount: payment.amount, reference: payment.reference, extraReferences: extra,
            payerName: payment.payerName, payerOrganisationNumber: payer, information: payment.information, fileLine: payment.line,
            allocations: [], settlement: nil, unmatchedReason: unmatchedReason)
    }

    /// Books `amount` of a bank payment as a payment of one invoice and links the two.
    func allocate(
        bankPaymentID: Int64, amount: Money, paidOn: CalendarDate, invoiceID: Int64, reference: String?,
        method: BankPaymentAllocation.Method, federationID: Int64, user: User
    ) async throws -> BankPaymentAllocation {
        let booked = try await bookPayment(
            amount, on: paidOn, invoiceID: invoiceID, reference: reference, federationID: federationID, registeredBy: user.name)
        try await query(
            """
            INSERT INTO bank_payment_allocation (federation_id, bank_payment_id, payment_id, matched_by, matched_by_user)
            VALUES ($1, $2, $3, $4, $5)
            """, [federationID, bankPaymentID, booked.id, method.rawValue, user.name])
        let invoice = booked.payment.invoice
        return BankPaymentAllocation(
            invoiceYear: invoice.year, invoiceNumber: invoice.number, member: invoice.member, memberName: invoice.memberName,
            amount: amount, voucher: booked.payment.voucher, matchedBy: method)
    }
}
