import FinsamCore
import Postgres

/// What an import will write, worked out from the file before the database is touched: the accounts to create,
/// the interventions, and a balanced draft per voucher. Any problem is reported with the file's line number.
struct SIEImportPlan {
    struct PlannedVoucher {
        var draft: VoucherDraft
        var source: VoucherSource
        var reference: String
    }

    let file: SIEFile
    let fileName: String
    var accounts: [(number: Int, name: String)] = []
    var interventions: [Intervention] = []
    var vouchers: [PlannedVoucher] = []
    var hasOpeningVoucher = false
    var openingCount = 0
    var skippedVouchers = 0
    /// Voucher numbers the file uses more than once (`# 1` twelve times: BL Administration numbers its depreciation
    /// series per month), with how often: each is booked on its own, its file line in the source reference.
    var repeatedNumbers: [(voucher: String, count: Int)] = []
    /// What the opening balances lacked of zero, booked on `SIEImportPlan.broughtForwardAccount`: earlier years'
    /// result that nobody had moved to equity when the file was written (DOMAIN.md, Bringing books over).
    var openingDifference: Money?
    /// True when the file has balances but no vouchers (SIE 1–3): the year's change is one voucher.
    var hasBalancesVoucher = false
    /// The file's budgets (#PBUDGET) per calendar year and result account, in the statements' natural sign
    /// (revenue positive, costs positive), as Finsam keeps budgets.
    var budgets: [(year: Int, account: Int, amount: Money)] = []
    /// Accounts the file's #KTYP makes balance accounts though their class is a result class, or the reverse.
    var retypedAccounts: [Int] = []

    /// Balanserat resultat: where an opening difference goes.
    static let broughtForwardAccount = (number: 2091, name: "Balanserat resultat")
    var dateRange: ClosedRange<CalendarDate>?

    init(file: SIEFile, fileName: String, options: SIEImportOptions) throws {
        self.file = file
        self.fileName = fileName
        func fail(_ line: Int?, _ reason: String) -> ServiceError {
            ServiceError.invalid("\(fileName): \(SIEError(line: line, reason: reason))")
        }
        let year = file.fiscalYears[0]
        // Accounts: every #KONTO in the chart's range, plus any account used without a #KONTO.
        var names: [Int: String] = [:]
        for (number, name) in file.accounts where (1000...9999).contains(number) {
            do { try PlainText.check(name, limit: PlainText.nameLimit) } catch {
                throw fail(nil, "#KONTO \(number): namnet \(error)")
            }
            names[number] = name.isEmpty ? "Konto \(number)" : name
        }
        func use(_ account: Int, line: Int) throws {
            guard (1000...9999).contains(account) else {
                throw fail(line, "konto \(account) ligger utanför kontoplanens 1000–9999")
            }
            if names[account] == nil { names[account] = "Konto \(account)" }
        }
        // Opening balances of this year: one voucher on the first day of the year, which must balance.
        let openings = file.openingBalances.filter { $0.yearIndex == 0 && $0.amount != .zero }
        if !openings.isEmpty {
            guard let year else { throw fail(openings[0].line, "#IB utan #RAR 0 (räkenskapsårets datum)") }
            for balance in openings {
                try use(balance.account, line: balance.line)
                guard file.isBalanceSheet(balance.account) == true else {
                    throw fail(balance.line, "#IB för resultatkonto \(balance.account)")
                }
            }
            guard let total = try? openings.sum(\.amount) else {
                throw fail(openings[0].line, "de ingående balanserna blir tillsammans större än Finsam tillåter "
                    + "(högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
            }
            var lines = openings.map { VoucherDraft.Line(account: $0.account, amount: $0.amount) }
            // Opening balances that do not sum to zero: in every real file seen, the difference is the previous
            // year's result, not yet moved to equity when the file was written (it equals the file's #RES -1).
            // Real programs accept such files; so does Finsam, booking the difference as brought forward and
            // saying so in the summary.
            if total != .zero {
                let account = Self.broughtForwardAccount
                if names[account.number] == nil { names[account.number] = account.name }
                lines.append(VoucherDraft.Line(account: account.number, amount: -total,
                    text: "Skillnad i ingående balans (tidigare års resultat)"))
                openingDifference = -total
            }
            vouchers.append(PlannedVoucher(
                draft: VoucherDraft(date: year.lowerBound, series: "IB", text: "Ingående balanser", lines: lines),
                source: .opening, reference: "SIE #IB"))
            hasOpeningVoucher = true
            openingCount = openings.count
        }
        // Objects of the mapped dimension become interventions.
        var interventionCodes: [SIEFile.Object: String] = [:]
        if let dimension = options.interventionDimension {
            let used = Set(file.vouchers.flatMap { $0.lines.flatMap(\.objects) }.filter { $0.dimension == dimension })
            let declared = Set(file.objects.keys.filter { $0.dimension == dimension })
            for object in used.union(declared).sorted(by: { $0.id < $1.id }) {
                // Intervention codes are ASCII (schema/002); other characters become "-", and the object's own
                // id stays in the name.
                var code = String(object.id.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
                while code.first.map({ !($0.isLetter || $0.isNumber) }) == true { code.removeFirst() }
                code = String(code.prefix(40))
                if code.isEmpty || interventionCodes.values.contains(code) {
                    code = "d\(dimension)-\(interventionCodes.count + 1)"
                }
                interventionCodes[object] = code
                interventions.append(Intervention(
                    code: code,
                    name: (file.objects[object].flatMap { $0.isEmpty ? nil : $0 } ?? "Objekt") + (code == object.id ? "" : " (\(object.id))"),
                    category: options.interventionCategory,
                    activeFrom: year?.lowerBound ?? file.vouchers.map(\.date).min() ?? CalendarDate.firstDay(ofYear: 2000)))
            }
        }
        // Each account's balance per month, as the ledger will keep it (schema/015 bounds it by Money.limit): the
        // voucher that would take one past the limit is named here, before anything is written.
        var monthBalances: [Int: Money] = [:]
        var numberCounts: [String: Int] = [:]
        for voucher in file.vouchers where !voucher.number.isEmpty {
            numberCounts["\(voucher.series) \(voucher.number)".trimmingSpaces, default: 0] += 1
        }
        repeatedNumbers = numberCounts.filter { $0.value > 1 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for voucher in file.vouchers {
            var lines: [VoucherDraft.Line] = []
            for transaction in voucher.lines where transaction.amount != .zero {
                try use(transaction.account, line: transaction.line)
                let intervention = transaction.objects.lazy.compactMap { interventionCodes[$0] }.first
                lines.append(VoucherDraft.Line(account: transaction.account, amount: transaction.amount,
                    intervention: intervention, text: transaction.text))
            }
            if lines.isEmpty {
                // Every row zeroed: a cancelled voucher (makulerad), nothing to book.
                skippedVouchers += 1
                continue
            }
            let series = voucher.series.isEmpty ? "I" : voucher.series
            let text = voucher.text.trimmingSpaces.isEmpty ? "Verifikation \(series) \(voucher.number)" : voucher.text
            let draft = VoucherDraft(date: voucher.date, series: series, text: text, lines: lines)
            do { try draft.validate() } catch {
                throw fail(voucher.line, "verifikation \(voucher.series) \(voucher.number): \(error)")
            }
            for line in lines {
                let key = (voucher.date.year * 100 + voucher.date.month) * 10_000 + line.account
                guard let balance = try? (monthBalances[key] ?? .zero) + line.amount else {
                    throw fail(voucher.line, "verifikation \(voucher.series) \(voucher.number): saldot på konto \(line.account) för "
                        + "\(voucher.date.year)-\(voucher.date.month < 10 ? "0" : "")\(voucher.date.month) blir större än Finsam tillåter "
                        + "(högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
                }
                monthBalances[key] = balance
            }
            let name = "\(voucher.series) \(voucher.number)".trimmingSpaces
            vouchers.append(PlannedVoucher(draft: draft, source: .import,
                reference: "SIE \(name)" + ((numberCounts[name] ?? 0) > 1 ? " rad \(voucher.line)" : "")))
        }
        // A file of balances without vouchers (SIE 1–3, the usual way to bring over earlier years): the year's
        // change of each balance account (#UB less #IB) and each result account's #RES become one voucher on the
        // year's last day, so that the ledger shows the file's closing balances and results.
        if file.vouchers.isEmpty, let year {
            var changes: [Int: (amount: Money, line: Int)] = [:]
            func add(_ balances: [SIEFile.Balance], sign: Int64, balanceSheet: Bool) throws {
                for balance in balances where balance.yearIndex == 0 && balance.amount != .zero
                    && file.isBalanceSheet(balance.account) == balanceSheet
                {
                    try use(balance.account, line: balance.line)
                    let signed = sign < 0 ? -balance.amount : balance.amount
                    guard let sum = try? (changes[balance.account]?.amount ?? .zero) + signed else {
                        throw fail(balance.line, "konto \(balance.account): saldot blir större än Finsam tillåter")
                    }
                    changes[balance.account] = (sum, changes[balance.account]?.line ?? balance.line)
                }
            }
            try add(file.closingBalances, sign: 1, balanceSheet: true)
            try add(file.openingBalances, sign: -1, balanceSheet: true)
            try add(file.results, sign: 1, balanceSheet: false)
            let lines = changes.filter { $0.value.amount != .zero }.sorted { $0.key < $1.key }
                .map { VoucherDraft.Line(account: $0.key, amount: $0.value.amount) }
            if !lines.isEmpty {
                let draft = VoucherDraft(date: year.upperBound, series: "SALDO",
                    text: "Årets förändring enligt SIE-filens saldon (#UB, #RES)", lines: lines)
                do { try draft.validate() } catch {
                    let line = changes.values.map(\.line).min()
                    // A year already closed: the closing balances hold the year's result in equity, and the results
                    // state it once more. Which equity account took it the file does not say, and Finsam keeps the
                    // year's result in the result accounts: refused, with the reason.
                    let balanceSum = try? lines.filter { file.isBalanceSheet($0.account) == true }.sum(\.amount)
                    let resultSum = try? lines.filter { file.isBalanceSheet($0.account) == false }.sum(\.amount)
                    if balanceSum == .zero, let resultSum, resultSum != .zero {
                        throw fail(line, "filens utgående balanser har redan årets resultat \(SwedishNumberFormat.kronor(-resultSum)) kr "
                            + "fört till eget kapital, och resultaten anger det en gång till; exportera saldona före bokslutet")
                    }
                    throw fail(line, "filens utgående balanser och resultat går inte ihop med de ingående: \(error)")
                }
                vouchers.append(PlannedVoucher(draft: draft, source: .import, reference: "SIE #UB #RES"))
                hasBalancesVoucher = true
            }
        }
        // Budgets: a year's budget is the sum of its months, per calendar year as Finsam budgets (a fiscal year of
        // July to June gives two). Only result accounts have budgets in the statements.
        var budgetSums: [Int: Money] = [:]
        for budget in file.budgets where file.isBalanceSheet(budget.account) == false {
            try use(budget.account, line: budget.line)
            let natural = (4000...7999).contains(budget.account) ? budget.amount : -budget.amount
            let key = budget.year * 10_000 + budget.account
            guard let sum = try? (budgetSums[key] ?? .zero) + natural else {
                throw fail(budget.line, "#PBUDGET: budgeten för konto \(budget.account) \(budget.year) blir större än Finsam tillåter")
            }
            budgetSums[key] = sum
        }
        budgets = budgetSums.sorted { $0.key < $1.key }.map { (year: $0.key / 10_000, account: $0.key % 10_000, amount: $0.value) }
        accounts = names.keys.sorted().map { ($0, names[$0]!) }
        retypedAccounts = file.accountTypes.keys.filter {
            names[$0] != nil && file.isBalanceSheet($0) != AccountClass(accountNumber: $0)?.isBalanceSheet
        }.sorted()
        let dates = vouchers.map(\.draft.date)
        if let first = dates.min(), let last = dates.max() {
            dateRange = min(first, year?.lowerBound ?? first)...max(last, year?.upperBound ?? last)
        } else if let year {
            dateRange = year
        }
    }

    /// Compares the ledger with the file's #UB 0 (balance accounts) and #RES 0 (result accounts) over the
    /// file's year. Returns how many figures were compared; throws naming the first that differs.
    func verify(_ c: isolated Connection, federationID: Int64) async throws -> (Int, Int) {
        guard let year = file.fiscalYears[0] else { return (0, 0) }
        let closing = file.closingBalances.filter { $0.yearIndex == 0 }
        let results = file.results.filter { $0.yearIndex == 0 }
        guard !closing.isEmpty || !results.isEmpty else { return (0, 0) }
        var ledger: [Int: Money] = [:]
        for row in try await c.query(
            "SELECT account_number, sum(amount_ore)::int8 FROM finsam_ledger_sums($1, $2, $3) GROUP BY 1",
            [federationID, PostgresDate(year.lowerBound), PostgresDate(year.upperBound)]
        ).rows {
            ledger[try row.decode(Int.self, at: 0)] = Money(öre: try row.decode(Int64.self, at: 1))
        }
        func compare(_ figures: [SIEFile.Balance], _ label: String, balanceSheet: Bool) throws -> Int {
            var stated: [Int: (Money, Int)] = [:]
            for figure in figures where (1000...9999).contains(figure.account) {
                stated[figure.account] = (figure.amount, figure.line)
            }
            let accounts = Set(stated.keys).union(ledger.keys.filter {
                file.isBalanceSheet($0) == balanceSheet
            })
            for account in accounts.sorted() {
                var expected = stated[account]?.0 ?? .zero
                if balanceSheet, account == Self.broughtForwardAccount.number, let difference = openingDifference {
                    expected = try expected + difference
                }
                let actual = ledger[account] ?? .zero
                guard expected == actual else {
                    throw ServiceError.invalid(
                        "\(fileName): \(SIEError(line: stated[account]?.1, reason: "konto \(account): filens \(label) är \(SwedishNumberFormat.kronor(expected)) men verifikationerna ger \(SwedishNumberFormat.kronor(actual)); inget har lästs in"))")
                }
            }
            return stated.count
        }
        let ub = closing.isEmpty ? 0 : try compare(closing, "#UB", balanceSheet: true)
        let res = results.isEmpty ? 0 : try compare(results, "#RES", balanceSheet: false)
        return (ub, res)
    }
}
