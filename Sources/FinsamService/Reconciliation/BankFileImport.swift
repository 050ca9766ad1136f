public import FinsamCore
import Postgres

/// Reads a bank file of incoming payments into a federation, in one transaction: Bankgirot's BgMax, or an ISO 20022
/// statement (camt.053) or notification (camt.054) of the federation's account. Records the file, its deposits and
/// payments (and a statement's closing balance); matches each payment to an invoice by OCR reference, then by amount
/// and payer (`PaymentMatching`); books what matched (bank 1930 against the member's receivable 1510, series I, as a
/// payment registered by hand) and keeps what did not, with the reason, for `BankPayments`.
///
/// Nothing is imported twice: the same bytes again do nothing, and a deposit an earlier file brought (BgMax: same
/// bankgiro, day and Bankgirot serial number; camt: same account and entry reference) is skipped. A file for another
/// bankgiro or account than the federation's, a test file, or a file that does not add up is refused whole, and
/// nothing is written. In a camt file only booked credits are payments to match; debits are the federation's own
/// payments, booked where they were made.
public struct BankFileImport: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Reads `bytes` as camt when they are XML, else as BgMax.
    public func read(_ bytes: [UInt8], fileName: String, into federation: String, by user: User) async throws -> BankFileImportSummary {
        let start = bytes.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return start.first == UInt8(ascii: "<")
            ? try await camt(bytes, fileName: fileName, into: federation, by: user)
            : try await bgMax(bytes, fileName: fileName, into: federation, by: user)
    }

    public func bgMax(_ bytes: [UInt8], fileName: String, into federation: String, by user: User) async throws -> BankFileImportSummary {
        // Parsed inside the transaction, on the connection's own thread (as SIEImport does), after the rights check.
        try await database.write(user, .bankFileImport, in: federation) { c in
            let file: BgMaxFile
            do { file = try BgMaxParser.parse(bytes) } catch { throw ServiceError.invalid("\(fileName): \(error)") }
            guard !file.isTest else {
                throw ServiceError.invalid("\(fileName) är en testfil från Bankgirot (T i startposten): dess betalningar bokförs inte")
            }
            let found = try await FederationStore.federation(c, federation)
            try await BankFileStore.lockBankImports(c, federationID: found.id)
            guard let bankgiro = try await InvoiceSettingsStore.invoiceSettings(c, federationID: found.id).bankgiro else {
                throw ServiceError(.invalid, "\(found.code) har inget bankgironummer att känna igen bankfilens insättningar på",
                    code: "federation.bankgiro-missing", arguments: ["federation": found.code])
            }
            let digits = bankgiro.filter { $0 != "-" }
            for deposit in file.deposits where deposit.bankgiro != digits {
                throw ServiceError.invalid(
                    "\(fileName): rad \(deposit.line): insättningen gäller bankgiro \(Self.hyphenated(deposit.bankgiro)), men \(found.code) har bankgiro \(bankgiro)")
            }
            for deposit in file.deposits where deposit.currency != "SEK" {
                throw ServiceError.invalid("\(fileName): rad \(deposit.line): insättningen är i \(deposit.currency); bara SEK bokförs")
            }
            return try await BankFileStore.importDeposits(c,
                file.deposits.map(IncomingDeposit.init), balances: [], bytes: bytes, kind: "bgmax", fileName: fileName,
                writtenAt: file.writtenAt, federationID: found.id, user: user)
        }
    }

    public func camt(_ bytes: [UInt8], fileName: String, into federation: String, by user: User) async throws -> BankFileImportSummary {
        try await database.write(user, .bankFileImport, in: federation) { c in
            let document: CamtDocument
            do { document = try CamtParser.parse(bytes) } catch { throw ServiceError.invalid("\(fileName): \(error)") }
            let found = try await FederationStore.federation(c, federation)
            try await BankFileStore.lockBankImports(c, federationID: found.id)
            guard let iban = try await DisbursementSettingsStore.disbursementSettings(c, federationID: found.id).payerIBAN else {
                throw ServiceError(.invalid, "\(found.code) har inget bankkonto (IBAN) att känna igen kontoutdraget på",
                    code: "federation.payer-account-missing", arguments: ["federation": found.code])
            }
            for report in document.reports where report.iban != iban {
                throw ServiceError.invalid("\(fileName): kontoutdraget \(report.id) gäller konto \(report.iban), men \(found.code) har konto \(iban)")
            }
            let deposits = document.reports.flatMap { report in
                report.entries.filter { $0.isBooked && $0.isCredit && !$0.isReversal }.map { IncomingDeposit($0, iban: report.iban) }
            }
            let balances = document.reports.flatMap { report in
                report.balances.filter { $0.code == "CLBD" }.map { (account: report.iban, statement: report.id, balance: $0) }
            }
            return try await BankFileStore.importDeposits(c,
                deposits, balances: balances, bytes: bytes, kind: document.kind.rawValue, fileName: fileName,
                writtenAt: document.messageID, federationID: found.id, user: user)
        }
    }
}

/// The SQL of reading bank files: deposits and payments as the bank gave them, what they match, their allocation.
enum BankFileStore {
    /// One import at a time per federation: a second waits, then finds the first one's file and deposits.
    static func lockBankImports(_ c: isolated Connection, federationID: Int64) async throws {
        try await c.query("SELECT pg_advisory_xact_lock(hashtext('finsam.bank-file-import'), $1::int4)", [Int32(truncatingIfNeeded: federationID)])
    }

    /// Records the file, its new deposits with their payments (matched and booked, or kept waiting) and its closing
    /// balances, within the caller's transaction.
    static func importDeposits(_ c: isolated Connection,
        _ deposits: [IncomingDeposit], balances: [(account: String, statement: String, balance: CamtBalance)], bytes: [UInt8],
        kind: String, fileName: String, writtenAt: String, federationID: Int64, user: User
    ) async throws -> BankFileImportSummary {
        var summary = BankFileImportSummary(
            fileName: fileName, format: kind, writtenAt: writtenAt, alreadyImported: false, deposits: 0,
            depositsAlreadyImported: 0, payments: [])
        if try await c.query(
            "SELECT 1 FROM import_file WHERE federation_id = $1 AND kind = $2 AND sha256 = sha256($3)",
            [federationID, kind, PostgresBytes(bytes)]).first != nil
        {
            summary.alreadyImported = true
            return summary
        }
        let seen = try await BankFileStore.alreadyImported(c, deposits, federationID: federationID)
        let newDeposits = zip(deposits, seen).filter { !$0.1 }.map(\.0)
        summary.depositsAlreadyImported = deposits.count - newDeposits.count
        let plan = try await BankFileStore.planMatches(c, of: newDeposits, federationID: federationID)
        let fileID = try await c.query(
            """
            INSERT INTO import_file (federation_id, kind, file_name, sha256, voucher_count, imported_by)
            VALUES ($1, $2, $3, sha256($4), $5, $6) RETURNING import_file_id
            """, [federationID, kind, fileName, PostgresBytes(bytes), plan.flatMap { $0 }.reduce(0) { $0 + $1.allocationCount }, user.name]
        ).scalar(Int64.self)
        for (account, statement, balance) in balances {
            try await c.query(
                """
                INSERT INTO bank_statement_balance (federation_id, account, statement_id, import_file_id, balance_date, closing_ore)
                VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (federation_id, account, statement_id) DO NOTHING
                """, [federationID, account, statement, fileID, PostgresDate(balance.date), balance.amount.öre])
        }
        for (depositIndex, deposit) in newDeposits.enumerated() {
            let bankgiro: String?, serial: Int?, account: String?, entry: String?
            switch deposit.name {
            case .bankgiro(let number, let serialNumber): (bankgiro, serial, account, entry) = (number, serialNumber, nil, nil)
            case .account(let iban, let reference): (bankgiro, serial, account, entry) = (nil, nil, iban, reference)
            }
            let depositID = try await c.query(
                """
                INSERT INTO bank_deposit (federation_id, import_file_id, bankgiro, serial_number, account, entry_reference, payment_date,
                                          amount_ore, currency)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING bank_deposit_id
                """, [federationID, fileID, bankgiro, serial, account, entry, PostgresDate(deposit.date), deposit.amount.öre, deposit.currency]
            ).scalar(Int64.self)
            summary.deposits += 1
            for (index, payment) in deposit.payments.enumerated() {
                let match = plan[depositIndex][index]
                var stored = try await BankFileStore.insertBankPayment(c,
                    payment, position: index + 1, depositID: depositID, paidOn: deposit.date, unmatchedReason: match.reason,
                    federationID: federationID)
                if case .matched(let method, let allocations) = match.result {
                    for allocation in allocations {
                        stored.allocations.append(try await BankFileStore.allocate(c,
                            bankPaymentID: stored.id, amount: allocation.amount, paidOn: deposit.date, invoiceID: allocation.invoiceID,
                            reference: payment.reference, method: .init(method), federationID: federationID, user: user))
                    }
                }
                summary.payments.append(stored)
            }
        }
        return summary
    }

    /// Which of `deposits` an earlier file brought (same bankgiro, day and serial; or same account and entry
    /// reference): one query per bankgiro or account of the file, on the indexes that keep each deposit once.
    static func alreadyImported(_ c: isolated Connection, _ deposits: [IncomingDeposit], federationID: Int64) async throws -> [Bool] {
        var bankgiroDays: [String: [CalendarDate]] = [:], accountEntries: [String: [String]] = [:]
        for deposit in deposits {
            switch deposit.name {
            case .bankgiro(let bankgiro, _): bankgiroDays[bankgiro, default: []].append(deposit.date)
            case .account(let iban, let entry): accountEntries[iban, default: []].append(entry)
            }
        }
        // A bankgiro's serial numbers start again each day: its deposits are named with their day.
        struct Key: Hashable { var name: IncomingDeposit.Name; var day: CalendarDate? }
        var imported = Set<Key>()
        for (bankgiro, days) in bankgiroDays {
            for row in try await c.query(
                """
                SELECT payment_date, serial_number FROM bank_deposit
                WHERE federation_id = $1 AND bankgiro = $2 AND payment_date BETWEEN $3 AND $4
                """, [federationID, bankgiro, PostgresDate(days.min()!), PostgresDate(days.max()!)]).rows
            {
                let day = try row.decode(PostgresDate.self, "payment_date").calendarDate()
                imported.insert(Key(name: .bankgiro(bankgiro, serial: try row.decode(Int.self, "serial_number")), day: day))
            }
        }
        for (iban, entries) in accountEntries {
            for row in try await c.query(
                "SELECT entry_reference FROM bank_deposit WHERE federation_id = $1 AND account = $2 AND entry_reference = ANY($3::text[])",
                [federationID, iban, entries]).rows
            {
                imported.insert(Key(name: .account(iban, entry: try row.decode(String.self, "entry_reference")), day: nil))
            }
        }
        return deposits.map { deposit in
            switch deposit.name {
            case .bankgiro: imported.contains(Key(name: deposit.name, day: deposit.date))
            case .account: imported.contains(Key(name: deposit.name, day: nil))
            }
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

extension BankFileStore {
    /// Decides every payment of `deposits` before anything is written, by deposit and position. Payments earlier
    /// in the file count against the invoices they pay, so two payments of one invoice are seen in turn.
    static func planMatches(_ c: isolated Connection, of deposits: [IncomingDeposit], federationID: Int64) async throws -> [[PlannedMatch]] {
        var paidInThisFile: [Int64: Money] = [:]
        var invoicesByDate: [CalendarDate: [MatchableInvoice]] = [:]
        var plan: [[PlannedMatch]] = []
        for deposit in deposits {
            if invoicesByDate[deposit.date] == nil {
                invoicesByDate[deposit.date] = try await PaymentStore.invoiceBalancesWithKeys(c,
                    federationID: federationID, at: deposit.date, invoiceID: nil
                ).map { MatchableInvoice(id: $0.id, ocr: $0.balance.ocr, organisationNumber: $0.organisationNumber, remaining: $0.balance.remaining) }
            }
            let invoicesAtDate = invoicesByDate[deposit.date]!
            var decided: [PlannedMatch] = []
            for payment in deposit.payments {
                guard payment.kind == .payment else {
                    decided.append(PlannedMatch(result: .unmatched(reason:
                        "avdrag på \(SwedishNumberFormat.kronor(payment.amount)) kr (oftast en kreditnota som betalaren har dragit av): stäms av för hand")))
                    continue
                }
                let incoming = IncomingPayment(amount: payment.amount, references: payment.matchReferences, payerIdentity: payment.payerIdentity)
                let invoices = try invoicesAtDate.map { invoice in
                    var invoice = invoice
                    try invoice.remaining -= paidInThisFile[invoice.id] ?? .zero
                    return invoice
                }
                let result = PaymentMatching.match(incoming, among: invoices)
                if case .matched(_, let allocations) = result {
                    for allocation in allocations { try paidInThisFile[allocation.invoiceID, default: .zero] += allocation.amount }
                }
                decided.append(PlannedMatch(result: result))
            }
            plan.append(decided)
        }
        return plan
    }

    static func insertBankPayment(_ c: isolated Connection,
        _ payment: IncomingBankPayment, position: Int, depositID: Int64, paidOn: CalendarDate, unmatchedReason: String?, federationID: Int64
    ) async throws -> BankPayment {
        let payer = payment.payerIdentity.flatMap(PaymentMatching.organisationNumber(from:))
        let id = try await c.query(
            """
            INSERT INTO bank_payment (federation_id, bank_deposit_id, position, kind, amount_ore, paid_on, reference, extra_references,
                                      reference_code, bgc_serial, sender_bankgiro, payer_name, payer_orgnr, information,
                                      unmatched_reason, source_line)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING bank_payment_id
            """, [federationID, depositID, position, payment.kind.rawValue, payment.amount.öre, PostgresDate(paidOn), payment.reference,
                  payment.extraReferences, payment.referenceCode, payment.bgcSerial, payment.senderBankgiro, payment.payerName, payer,
                  payment.information, unmatchedReason, payment.line]
        ).scalar(Int64.self)
        return BankPayment(
            id: id, paidOn: paidOn, kind: payment.kind, amount: payment.amount, reference: payment.reference,
            extraReferences: payment.extraReferences, payerName: payment.payerName, payerOrganisationNumber: payer,
            information: payment.information, fileLine: payment.line, allocations: [], settlement: nil, unmatchedReason: unmatchedReason)
    }

    /// Books `amount` of a bank payment as a payment of one invoice and links the two.
    static func allocate(_ c: isolated Connection,
        bankPaymentID: Int64, amount: Money, paidOn: CalendarDate, invoiceID: Int64, reference: String?,
        method: BankPaymentAllocation.Method, federationID: Int64, user: User
    ) async throws -> BankPaymentAllocation {
        let booked = try await PaymentStore.bookPayment(c,
            amount, on: paidOn, invoiceID: invoiceID, reference: reference, federationID: federationID, registeredBy: user.name)
        try await c.query(
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
