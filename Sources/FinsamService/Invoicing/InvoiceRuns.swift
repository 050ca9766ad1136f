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
    /// A settlement invoice: what an earlier plan left out (a municipality joined or left during the year).
    public var settlement: Bool = false
}

/// A credit note a run issued because the plan changed after an invoice (a municipality joined or left).
public struct SettlementCredit: Sendable, Codable, Equatable {
    public var year: Int
    public var number: Int
    public var invoiceYear: Int
    public var invoiceNumber: Int
    public var member: String
    public var memberName: String
    public var amount: Money
    /// Nil in a preview.
    public var voucher: VoucherReference?
}

public struct InvoiceRunResult: Sendable, Codable, Equatable {
    public var federation: String
    public var period: String
    public var preview: Bool
    /// The invoices this run issued (or, in a preview, would issue).
    public var invoices: [Invoice]
    /// Installments of the period that were invoiced before: not invoiced again.
    public var alreadyInvoiced: Int
    /// Credit notes for what earlier invoices charged beyond the present plan.
    public var settlementCredits: [SettlementCredit] = []
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
        try await database.write(user, .invoiceRun, in: federation) { c in
            try await InvoiceStore.runInvoices(c, federation, period: period, issueDate: issueDate, preview: preview, issuedBy: user.name)
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

extension InvoiceStore {
    /// Serializes whatever takes numbers from a federation's invoice series (runs and credit notes), so that the
    /// number computed before an insert is the one the database hands out.
    static func lockInvoiceNumbers(_ c: isolated Connection, federationID: Int64) async throws {
        try await c.query("SELECT pg_advisory_xact_lock(hashtext('finsam invoice numbers'), $1::int)", [federationID])
    }

    /// The next number of the federation's invoice series for `year` (call under `lockInvoiceNumbers`).
    static func nextInvoiceNumber(_ c: isolated Connection, federationID: Int64, year: Int) async throws -> Int {
        try await c.query(
            "SELECT coalesce((SELECT last_number FROM invoice_series_counter WHERE federation_id = $1 AND fiscal_year = $2), 0) + 1",
            [federationID, year]).scalar(Int.self)
    }

    static func runInvoices(_ c: isolated Connection,
        _ federationCode: String, period: InvoicePeriod, issueDate: CalendarDate, preview: Bool, issuedBy: String
    ) async throws -> InvoiceRunResult {
        let federation = try await FederationStore.federation(c, federationCode)
        try await InvoiceStore.lockInvoiceNumbers(c, federationID: federation.id)
        let dueDate = issueDate.adding(days: try await InvoiceSettingsStore.invoiceSettings(c, federationID: federation.id).dueDays)
        let year = period.year
        let hasPlan = try await c.query(
            "SELECT EXISTS (SELECT 1 FROM contribution_plan WHERE federation_id = $1 AND fiscal_year = $2)",
            [federation.id, year]).scalar(Bool.self)
        guard hasPlan else {
            throw ServiceError(.notFound, "\(federation.code) har ingen plan för medlemsbidragen \(year)", code: "contribution-plan.missing",
                arguments: ["federation": federation.code, "year": String(year)])
        }
        let plan = try await InvoiceStore.plannedInstallments(c, federationID: federation.id, year: year)
        let issued = try await InvoiceStore.contributionInvoices(c, federationID: federation.id, year: year)
        let members = Dictionary(uniqueKeysWithValues: try await MemberStore.members(c, federationID: federation.id).map { ($0.id, $0) })
        // A member's contributions go to its own account where the chart has one (books brought over with a chart
        // of one account per member), else to its kind's contribution account.
        let kindAccounts = try await PostingAccountStore.contributionAccounts(c, federationID: federation.id)
        let memberAccounts = try await PostingAccountStore.memberAccounts(c, federationID: federation.id)
        func account(of member: Member) throws -> Int {
            guard let account = memberAccounts[member.id] ?? kindAccounts[member.kind] else {
                throw ServiceError.invalid("kontoplanen saknar ett medlemsbidragskonto för \(member.kind.swedishName) (\(member.name))")
            }
            return account
        }
        var nextNumber = try await InvoiceStore.nextInvoiceNumber(c, federationID: federation.id, year: issueDate.year)
        var invoices: [Invoice] = []
        var credits: [SettlementCredit] = []
        var already = 0

        let context = ContributionInvoiceContext(
            federationID: federation.id, contributionYear: year, issueDate: issueDate, dueDate: dueDate, preview: preview,
            issuedBy: issuedBy, receivables: try await PostingAccountStore.postingAccounts(c, federationID: federation.id).receivables)

        // The installments of the period, at the plan's amounts.
        for share in plan.shares {
            guard let member = members[share.memberID] else { continue }
            let schedule = share.schedule
            let amounts = plan.installments(of: share, schedule: schedule)
            for installment in 1...schedule.installments where amounts[installment - 1] > 0
                && period.months.contains(share.dueMonth(ofInstallment: installment, schedule: schedule)) {
                if issued.contains(where: { $0.memberID == share.memberID && $0.installment == installment && !$0.settlement }) {
                    already += 1
                    continue
                }
                let label = schedule.label(year: year, installment: installment)
                invoices.append(try await InvoiceStore.issueContributionInvoice(c,
                    member, number: nextNumber, installment: installment, of: schedule, amount: Money(kronor: amounts[installment - 1]),
                    label: label, description: "Medlemsbidrag \(label)", settlement: false, account: try account(of: member),
                    context: context))
                nextNumber += 1
            }
        }

        // What was invoiced on an earlier plan (a municipality joined or left since): settled now, by a settlement
        // invoice or settlement credit notes, so that each member has been charged its installments at this plan.
        let affected = Set(issued.map(\.memberID))
        for memberID in members.keys.sorted() where affected.contains(memberID) {
            let member = members[memberID]!
            let own = issued.filter { $0.memberID == memberID }
            let share = plan.shares.first { $0.memberID == memberID }
            var planned: Int64 = 0
            for invoice in own where !invoice.settlement {
                let schedule = try InvoiceSchedule.stored(installments: invoice.installments)
                planned += share.map { plan.installments(of: $0, schedule: schedule)[invoice.installment - 1] } ?? 0
            }
            let charged = own.reduce(Int64(0)) { $0 + $1.totalÖre - $1.settlementCreditedÖre }
            let residual = planned * 100 - charged
            let reason = "Justering av medlemsbidrag \(year) efter ändrat medlemskap"
            if residual > 0 {
                let last = own.filter { !$0.settlement }.max { $0.installment < $1.installment }
                let schedule = try InvoiceSchedule.stored(installments: last?.installments ?? 1)
                invoices.append(try await InvoiceStore.issueContributionInvoice(c,
                    member, number: nextNumber, installment: last?.installment ?? 1, of: schedule, amount: Money(öre: residual),
                    label: "\(year) justering", description: reason, settlement: true, account: try account(of: member),
                    context: context))
                nextNumber += 1
            } else if residual < 0 {
                var left = -residual
                for invoice in own.sorted(by: { ($0.year, $0.number) > ($1.year, $1.number) }) where left > 0 {
                    let credit = min(left, invoice.totalÖre - invoice.creditedÖre)
                    guard credit > 0 else { continue }
                    let number = nextNumber
                    nextNumber += 1
                    var voucher: VoucherReference?
                    if !preview {
                        voucher = try await CreditNoteStore.insertCreditNote(c,
                            number: number, invoiceID: invoice.id, invoiceNumber: invoice.number, invoiceYear: invoice.year,
                            member: member.code, account: invoice.account, amount: Money(öre: credit), reason: reason,
                            date: issueDate, settlement: true, federationID: federation.id, issuedBy: issuedBy)
                    }
                    credits.append(SettlementCredit(
                        year: issueDate.year, number: number, invoiceYear: invoice.year, invoiceNumber: invoice.number,
                        member: member.code, memberName: member.name, amount: Money(öre: credit), voucher: voucher))
                    left -= credit
                }
                guard left == 0 else {
                    throw ServiceError.conflict(
                        "\(member.name) ska krediteras \(SwedishNumberFormat.kronor(Money(öre: left))) kr till för \(year), men dess fakturor är redan krediterade")
                }
            }
        }
        return InvoiceRunResult(
            federation: federation.code, period: period.description, preview: preview, invoices: invoices,
            alreadyInvoiced: already, settlementCredits: credits)
    }

    /// Issues (unless a preview) one contribution invoice numbered `number` (taken under `lockInvoiceNumbers`),
    /// booked as receivable against the member's contribution account.
    static func issueContributionInvoice(_ c: isolated Connection,
        _ member: Member, number: Int, installment: Int, of schedule: InvoiceSchedule, amount: Money, label: String,
        description: String, settlement: Bool, account: Int, context: ContributionInvoiceContext
    ) async throws -> Invoice {
        let ocr = OCRReference.forInvoice(year: context.issueDate.year, number: number)
        var voucher: VoucherReference?
        if !context.preview {
            let draft = VoucherDraft(date: context.issueDate, series: "F", text: "Faktura \(number): \(description), \(member.name)", lines: [
                .init(account: context.receivables, amount: amount, member: member.code),
                .init(account: account, amount: -amount, member: member.code),
            ])
            let inserted = try await VoucherStore.insertVoucher(c,
                draft, federationID: context.federationID, source: .invoice,
                sourceReference: "faktura \(context.issueDate.year)-\(number)", idempotencyKey: nil, reverses: nil,
                postedBy: context.issuedBy)
            voucher = inserted.voucher.reference
            let invoiceID = try await c.query(
                """
                INSERT INTO invoice (federation_id, fiscal_year, number, member_id, contribution_year, installment,
                    installments, issue_date, due_date, buyer_reference, ocr, total_ore, voucher_id, issued_by, settlement)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING invoice_id
                """,
                [context.federationID, context.issueDate.year, number, member.id, context.contributionYear, installment,
                 schedule.installments, PostgresDate(context.issueDate), PostgresDate(context.dueDate), member.buyerReference,
                 ocr.digits, amount.öre, inserted.id, context.issuedBy, settlement]
            ).scalar(Int64.self)
            try await c.query(
                """
                INSERT INTO invoice_line (federation_id, invoice_id, line_number, description, account_number, amount_ore)
                VALUES ($1, $2, 1, $3, $4, $5)
                """, [context.federationID, invoiceID, description, account, amount.öre])
        }
        return Invoice(
            year: context.issueDate.year, number: number, member: member.code, memberName: member.name,
            contributionYear: context.contributionYear, installment: installment, installments: schedule.installments,
            period: label, issueDate: context.issueDate, dueDate: context.dueDate, buyerReference: member.buyerReference,
            ocr: ocr.digits, total: amount, voucher: voucher,
            lines: [Invoice.Line(description: description, account: account, amount: amount)], settlement: settlement)
    }
}

/// What every invoice of one run shares.
struct ContributionInvoiceContext: Sendable {
    var federationID: Int64
    var contributionYear: Int
    var issueDate: CalendarDate
    var dueDate: CalendarDate
    var preview: Bool
    var issuedBy: String
    var receivables: Int
}
