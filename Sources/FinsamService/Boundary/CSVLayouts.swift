public import FinsamCore
public import Foundation

/// A read that can be laid out as one CSV table: the CLI's `--format csv` and the API's `text/csv` both print
/// exactly this, so a script gets the same columns from either. Amounts in plain decimal form (`1817375.50`),
/// dates ISO 8601, moments ISO 8601 in UTC, codes rather than Swedish names.
public protocol CSVTabular {
    func csvTable() throws -> CSVTable
}

/// One element of a list that is laid out as CSV (`[Member]`, `[Invoice]` …): a row, or several.
public protocol CSVRow {
    static var csvHeaders: [String] { get }
    func csvFields() throws -> [String]
    func csvRows() throws -> [[String]]
}

extension CSVRow {
    public func csvRows() throws -> [[String]] { [try csvFields()] }
}

extension Array: CSVTabular where Element: CSVRow {
    public func csvTable() throws -> CSVTable { CSVTable(Element.csvHeaders, try flatMap { try $0.csvRows() }) }
}

/// A moment in CSV: ISO 8601 in UTC.
public func csvMoment(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

extension Federation: CSVRow {
    public static let csvHeaders = ["code", "name", "orgnr", "seat"]
    public func csvFields() -> [String] { [code, name, orgnr, seatMunicipality ?? ""] }
}

extension Member: CSVRow {
    public static let csvHeaders = ["code", "kind", "name", "orgnr", "peppol_id", "buyer_reference"]
    public func csvFields() -> [String] { [code, kind.rawValue, name, orgnr, peppolId ?? "", buyerReference ?? ""] }
}

extension PopulationFigure: CSVRow {
    public static let csvHeaders = ["year", "member", "name", "population", "reference_date", "source"]
    public func csvFields() -> [String] { [String(year), member, memberName, String(population), referenceDate.description, source] }
}

extension Account: CSVRow {
    public static let csvHeaders = ["account", "name", "member_kind", "member", "cost_category", "administration_line", "intervention"]
    public func csvFields() -> [String] {
        [String(number), name, memberKind?.rawValue ?? "", member ?? "", costCategory?.rawValue ?? "", administrationLine?.rawValue ?? "",
         intervention ?? ""]
    }
}

extension Intervention: CSVRow {
    public static let csvHeaders = ["code", "name", "category", "active_from", "active_to"]
    public func csvFields() -> [String] { [code, name, category.rawValue, activeFrom.description, activeTo?.description ?? ""] }
}

extension BudgetLine: CSVRow {
    public static let csvHeaders = ["year", "account", "intervention", "member", "amount"]
    public func csvFields() -> [String] { [String(year), account.map(String.init) ?? "", intervention ?? "", member ?? "", amount.description] }
}

extension PostingAccountSetting: CSVRow {
    public static let csvHeaders = ["purpose", "account", "name"]
    public func csvFields() -> [String] { [purpose, account.map(String.init) ?? "", accountName ?? ""] }
}

extension PeriodLock: CSVRow {
    public static let csvHeaders = ["year", "month", "locked_by", "locked_at"]
    public func csvFields() -> [String] { [String(year), month.map(String.init) ?? "", lockedBy, csvMoment(lockedAt)] }
}

extension PostedVoucher: CSVRow {
    public static let csvHeaders = ["year", "series", "number", "date", "text", "amount", "source", "posted_by", "reversed_by"]
    public func csvFields() throws -> [String] {
        [String(reference.year), reference.series, String(reference.number), date.description, text, try amount.description, source,
         postedBy, reversedBy?.description ?? ""]
    }
}

extension PostedVoucher: CSVTabular {
    /// One voucher: its lines.
    public func csvTable() -> CSVTable {
        CSVTable(["account", "name", "amount", "intervention", "member", "text"],
            lines.map { [String($0.account), $0.accountName, $0.amount.description, $0.intervention ?? "", $0.member ?? "", $0.text ?? ""] })
    }
}

extension Invoice: CSVRow {
    public static let csvHeaders = ["year", "number", "member", "name", "period", "issue_date", "due_date", "ocr", "amount", "voucher"]
    public func csvFields() -> [String] {
        [String(year), String(number), member, memberName, period, issueDate.description, dueDate.description, ocr, total.description,
         voucher?.description ?? ""]
    }
}

extension InvoiceBalance: CSVRow {
    public static let csvHeaders = ["year", "number", "member", "name", "period", "due_date", "ocr", "total", "paid", "remaining", "status",
        "days_overdue"]
    public func csvFields() -> [String] {
        [String(year), String(number), member, memberName, period, dueDate.description, ocr, total.description, paid.description,
         remaining.description, status.rawValue, String(daysOverdue)]
    }
}

extension BankPayment: CSVRow {
    public static let csvHeaders = ["id", "paid_on", "kind", "amount", "reference", "payer", "payer_orgnr", "reason"]
    public func csvFields() -> [String] {
        [String(id), paidOn.description, kind.rawValue, amount.description, reference ?? "", payerName ?? "", payerOrganisationNumber ?? "",
         unmatchedReason ?? ""]
    }
}

extension ImportedBankFile: CSVRow {
    public static let csvHeaders = ["id", "file", "format", "imported_at", "imported_by", "deposits", "payments", "waiting", "amount"]
    public func csvFields() -> [String] {
        [String(id), fileName, format, csvMoment(importedAt), importedBy, String(deposits), String(payments), String(waiting), amount.description]
    }
}

extension Disbursement: CSVRow {
    public static let csvHeaders = ["number", "intervention", "member", "half_year", "amount", "decided", "state", "prepared_by", "voucher"]
    public func csvFields() -> [String] {
        [String(number), intervention, member, halfYear.description, amount.description, decided.description, state.rawValue, preparedBy,
         voucher?.description ?? ""]
    }
}

extension FundingDecision: CSVRow {
    public static let csvHeaders = ["decision", "intervention", "member", "half_year", "from_month", "to_month", "model", "fte", "heads", "rate",
        "meeting_date", "paragraph", "stands_for_months", "adjustments"]
    public func csvFields() -> [String] {
        [String(id), intervention, member, halfYear.description, String(from), String(to), model.rawValue, fte?.description ?? "",
         heads.map(String.init) ?? "", rate.description, reference.meetingDate.description, reference.paragraph,
         standsFor.map(String.init).joined(separator: " "), adjustments.map { $0.swedish(model: model) }.joined(separator: "; ")]
    }
}

extension FundingStatement: CSVTabular {
    public func csvTable() -> CSVTable {
        CSVTable(["month", "decision", "extent", "amount"],
            months.map { [String($0.month), String($0.decision), $0.extent.description, $0.amount.description] })
    }
}

extension ContributionPlan: CSVTabular {
    public func csvTable() -> CSVTable {
        func percent(_ hundredths: Int64) -> String { "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)" }
        return CSVTable(
            ["year", "member", "name", "kind", "basis", "weight", "reference_date", "source", "first_month", "last_month", "percent", "amount"],
            shares.map {
                [String(year), $0.member, $0.memberName, $0.kind.rawValue, $0.basis, $0.weight.map(String.init) ?? "",
                 $0.referenceDate?.description ?? "", $0.source ?? "", String($0.firstMonth), String($0.lastMonth), percent($0.percentOfTotal),
                 String($0.amount.öre / 100)]
            })
    }
}

extension AuditRecord: CSVRow {
    public static let csvHeaders = ["sequence", "at", "actor", "use_case", "request", "rows", "hash"]
    public func csvFields() -> [String] { [String(sequence), csvMoment(at), actor, useCase, request ?? "", String(subjectCount), hash] }
}

extension AppUser: CSVRow {
    public static let csvHeaders = ["user", "name", "federation", "role"]
    public func csvFields() -> [String] { [code, name, "", ""] }
    /// A row per role (a user without roles: one row without).
    public func csvRows() -> [[String]] { roles.isEmpty ? [csvFields()] : roles.map { [code, name, $0.federation, $0.role.rawValue] } }
}

extension APIToken: CSVRow {
    public static let csvHeaders = ["user", "name", "created_at", "created_by", "expires_at", "revoked_at", "revoked_by"]
    public func csvFields() -> [String] {
        [user, name, csvMoment(createdAt), createdBy, expiresAt.map(csvMoment) ?? "", revokedAt.map(csvMoment) ?? "", revokedBy ?? ""]
    }
}

extension IncomeStatement: CSVTabular {
    public func csvTable() -> CSVTable { csv }
}

extension BalanceSheet: CSVTabular {
    /// The two sections with their totals, as the report prints them.
    public func csvTable() -> CSVTable {
        CSVTable(["section", "row", "at", "compare"], sections.flatMap { section in
            section.rows.map { [section.title, $0.label, $0.at.description, $0.compare?.description ?? ""] }
        })
    }

    /// Assets, then equity and liabilities, each ending in its total.
    public var sections: [(title: String, rows: [Row])] {
        [("Tillgångar", assets + [totalAssets]), ("Eget kapital och skulder", equity + [totalEquity] + liabilities + [totalEquityAndLiabilities])]
    }
}

extension CostDistribution: CSVTabular {
    public func csvTable() -> CSVTable {
        CSVTable(["category", "amount", "share_percent"],
            rows.map { [$0.category.rawValue, $0.amount.description, "\($0.shareTenthsOfPercent / 10).\($0.shareTenthsOfPercent % 10)"] })
    }
}

extension TrialBalance: CSVTabular {
    public func csvTable() -> CSVTable {
        CSVTable(["account", "name", "opening", "change", "closing"],
            rows.map { [String($0.account), $0.name, $0.opening.description, $0.change.description, $0.closing.description] })
    }
}

extension AccountLedger: CSVTabular {
    public func csvTable() -> CSVTable {
        CSVTable(["date", "voucher", "text", "intervention", "member", "amount", "balance"],
            entries.map { [$0.date.description, "\($0.voucher.series)-\($0.voucher.number)", $0.text, $0.intervention ?? "", $0.member ?? "",
                $0.amount.description, $0.balance.description] })
    }
}

extension DecisionTable: CSVTabular {
    /// A column per member, and the sums.
    public func csvTable() -> CSVTable {
        CSVTable(["member", "name", "fte", "heads", "sum", "amount"],
            columns.map { [$0.member, $0.name, $0.fte?.description ?? "", $0.heads.map(String.init) ?? "", $0.sum?.description ?? "",
                String($0.amountKronor)] }
            + [["", "Summa", totalFTE?.description ?? "", totalHeads.map(String.init) ?? "", totalSum?.description ?? "", String(totalKronor)]])
    }
}

extension CommitmentsReport: CSVTabular {
    public func csvTable() -> CSVTable {
        CSVTable(["intervention", "name", "funding", "budget", "decided", "approved", "paid", "remaining"],
            (lines + [total]).map { [$0.intervention, $0.name, $0.funding?.rawValue ?? "", $0.budget.description, $0.decided.description,
                $0.approved.description, $0.paid.description, $0.remaining.description] })
    }
}

extension MemberStatement: CSVTabular {
    public func csvTable() -> CSVTable {
        CSVTable(["date", "kind", "reference", "text", "amount", "balance"],
            entries.map { [$0.date.description, $0.kind, $0.reference, $0.text, $0.amount.description, $0.balance.description] })
    }
}

extension ContributionsReport: CSVTabular {
    public func csvTable() -> CSVTable {
        CSVTable(["member", "name", "planned", "invoiced", "credited", "paid", "owed"],
            rows.map { [$0.member, $0.memberName, $0.planned.description, $0.invoiced.description, $0.credited.description, $0.paid.description,
                $0.owed.description] })
    }
}
