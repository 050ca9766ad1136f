import FinsamCore
import Postgres

/// What an import will write, worked out from the file before the database is touched: the accounts to create,
/// the interventions, and that every voucher balances and stays within the limits. Any problem is reported with the
/// file's line number. The file is read twice: here, voucher by voucher, keeping none of them, and again by
/// `writeVouchers`, which writes them batch by batch as it reads, so a large file is never held as vouchers whole.
struct SIEImportPlan {
    struct PlannedVoucher {
        var draft: VoucherDraft
        var source: VoucherSource
        var reference: String
    }

    /// The file without its vouchers (those are read again by `writeVouchers`).
    let file: SIEFile
    let fileName: String
    var accounts: [(number: Int, name: String)] = []
    var interventions: [Intervention] = []
    /// For a file of balances only, the year's change as one voucher. The file's own vouchers are written by
    /// `writeVouchers`; the opening balances by `openingVoucher`, since what they book depends on what the ledger
    /// holds at the year's start.
    var vouchers: [PlannedVoucher] = []
    /// The file's vouchers that will be booked (cancelled ones, all rows zero, are not), and their lines.
    var voucherCount = 0
    var lineCount = 0
    /// Accounts the file's vouchers book on.
    var voucherAccounts: Set<Int> = []
    /// How often each voucher number ("A 17") occurs: a repeated one gets its file line in the source reference.
    var numberCounts: [String: Int] = [:]
    /// The intervention each dimension object's lines count for.
    var interventionCodes: [SIEFile.Object: String] = [:]
    /// The file's #IB 0, checked: balance accounts only, within the limit.
    var openingFigures: [SIEFile.Balance] = []
    var skippedVouchers = 0
    /// Voucher numbers the file uses more than once (`# 1` twelve times: BL Administration numbers its depreciation
    /// series per month), with how often: each is booked on its own, its file line in the source reference.
    var repeatedNumbers: [(voucher: String, count: Int)] = []
    /// True when the file has balances but no vouchers (SIE 1–3): the year's change is one voucher.
    var hasBalancesVoucher = false
    /// The file's budgets (#PBUDGET) per calendar year and result account, in the statements' natural sign
    /// (revenue positive, costs positive), as Finsam keeps budgets.
    var budgets: [(year: Int, account: Int, amount: Money)] = []
    /// Revenue and cost accounts with amounts in the file (vouchers, results of either year, budgets): those the mapping
    /// gives a meaning.
    var usedAccounts: Set<Int> {
        var used = voucherAccounts.union(vouchers.flatMap { $0.draft.lines.map(\.account) })
        used.formUnion(file.results.map(\.account))
        used.formUnion(budgets.map(\.account))
        return used.filter { file.isBalanceSheet($0) == false }
    }
    /// Dimension objects that count for an intervention: those the mapping file names and those of the chosen dimension.
    var mappedObjects: [ObjectMappingEntry] = []
    /// Accounts the file's #KTYP makes balance accounts though their class is a result class, or the reverse.
    var retypedAccounts: [Int] = []

    /// An account in one month, or in one year (month 0).
    struct AccountPeriod: Hashable, Comparable {
        var year: Int
        var month: Int
        var account: Int

        static func < (a: AccountPeriod, b: AccountPeriod) -> Bool {
            (a.year, a.month, a.account) < (b.year, b.month, b.account)
        }
    }

    var dateRange: ClosedRange<CalendarDate>?
    /// From when interventions the import creates are active: the fiscal year's start, else the first voucher's date.
    var interventionsActiveFrom = CalendarDate.firstDay(ofYear: 2000)

    /// An error of the file, with its line when there is one.
    static func failure(_ fileName: String, _ line: Int?, _ reason: String) -> ServiceError {
        ServiceError.invalid("\(fileName): \(SIEError(line: line, reason: reason))")
    }

    init(
        bytes: [UInt8], fileName: String, options: SIEImportOptions, objectMapping: [SIEFile.Object: AccountMeaning] = [:]
    ) throws {
        self.fileName = fileName
        func fail(_ line: Int?, _ reason: String) -> ServiceError { Self.failure(fileName, line, reason) }
        // The first reading: each voucher checked (balanced, within the limits, every account's month balance within
        // them too) and counted, then let go.
        var reader = SIEReader(bytes)
        var monthBalances: [AccountPeriod: Money] = [:]
        var usedObjects: Set<SIEFile.Object> = []
        var firstDate: CalendarDate?
        var lastDate: CalendarDate?
        do {
            while let voucher = try reader.next() {
                if !voucher.number.isEmpty { numberCounts["\(voucher.series) \(voucher.number)".trimmingSpaces, default: 0] += 1 }
                for transaction in voucher.lines { usedObjects.formUnion(transaction.objects) }
                guard let draft = try Self.draft(voucher, interventions: [:], fail: fail) else {
                    skippedVouchers += 1
                    continue
                }
                for line in draft.lines {
                    voucherAccounts.insert(line.account)
                    let key = AccountPeriod(year: voucher.date.year, month: voucher.date.month, account: line.account)
                    guard let balance = try? (monthBalances[key] ?? .zero) + line.amount else {
                        throw fail(voucher.line, "verifikation \(voucher.series) \(voucher.number): saldot på konto \(line.account) för "
                            + "\(voucher.date.year)-\(voucher.date.month < 10 ? "0" : "")\(voucher.date.month) blir större än Finsam tillåter "
                            + "(högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
                    }
                    monthBalances[key] = balance
                }
                voucherCount += 1
                lineCount += draft.lines.count
                firstDate = min(firstDate ?? voucher.date, voucher.date)
                lastDate = max(lastDate ?? voucher.date, voucher.date)
            }
        } catch let error as SIEError {
            throw ServiceError.invalid("\(fileName): \(error)")
        }
        let fileHadVouchers = reader.voucherCount > 0
        self.file = reader.file
        let file = self.file
        let year = file.fiscalYears[0]
        interventionsActiveFrom = year?.lowerBound ?? firstDate ?? interventionsActiveFrom
        // Accounts: every #KONTO in the chart's range, plus any account used without a #KONTO.
        var names: [Int: String] = [:]
        for (number, name) in file.accounts {
            do { try PlainText.check(name, limit: PlainText.nameLimit) } catch {
                throw fail(nil, "#KONTO \(number): namnet \(error)")
            }
            names[number] = name.isEmpty ? "Konto \(number)" : name
        }
        /// An account the file uses without declaring it is named by its number.
        func use(_ account: Int) {
            if names[account] == nil { names[account] = "Konto \(account)" }
        }
        // Opening balances of this year: checked here, booked by `opening` once the ledger's balances at the year's
        // start are known.
        openingFigures = file.openingBalances.filter { $0.yearIndex == 0 && $0.amount != .zero }
        if !openingFigures.isEmpty {
            guard year != nil else { throw fail(openingFigures[0].line, "#IB utan #RAR 0 (räkenskapsårets datum)") }
            for balance in openingFigures {
                use(balance.account)
                guard file.isBalanceSheet(balance.account) == true else {
                    throw fail(balance.line, "#IB för resultatkonto \(balance.account)")
                }
            }
            guard (try? openingFigures.sum(\.amount)) != nil else {
                throw fail(openingFigures[0].line, "de ingående balanserna blir tillsammans större än Finsam tillåter "
                    + "(högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
            }
        }
        // The previous year's figures (comparative figures, `previousYear`) use the file's accounts too.
        for figure in file.openingBalances + file.closingBalances + file.results where figure.yearIndex == -1 {
            use(figure.account)
        }
        // Objects the mapping file names are the interventions it says; those of the chosen dimension become
        // interventions of their own (by the object's id and name).
        for (object, meaning) in objectMapping.sorted(by: { ($0.key.dimension, $0.key.id) < ($1.key.dimension, $1.key.id) }) {
            guard case .intervention(let code, let category, let name) = meaning else { continue }
            guard usedObjects.contains(object) || file.objects[object] != nil else {
                throw ServiceError.invalid("\(options.mappingFile?.name ?? fileName): objekt \(object.dimension) \(object.id) finns inte i \(fileName)")
            }
            interventionCodes[object] = code
            let objectName = file.objects[object].flatMap { $0.isEmpty ? nil : $0 }
            interventions.append(Intervention(
                code: code, name: name ?? objectName ?? code, category: category ?? options.interventionCategory,
                activeFrom: interventionsActiveFrom))
            mappedObjects.append(ObjectMappingEntry(dimension: object.dimension, id: object.id, name: objectName ?? "",
                meaning: meaning, reason: .mappingFile))
        }
        if let dimension = options.interventionDimension {
            let used = usedObjects.filter { $0.dimension == dimension }
            let declared = Set(file.objects.keys.filter { $0.dimension == dimension })
            for object in used.union(declared).sorted(by: { $0.id < $1.id }) where interventionCodes[object] == nil {
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
                    activeFrom: interventionsActiveFrom))
                mappedObjects.append(ObjectMappingEntry(dimension: dimension, id: object.id, name: file.objects[object] ?? "",
                    meaning: .intervention(code: code, category: options.interventionCategory, name: nil), reason: .fallback))
            }
        }
        repeatedNumbers = numberCounts.filter { $0.value > 1 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        voucherAccounts.forEach(use)
        // A file of balances without vouchers (SIE 1–3, the usual way to bring over earlier years): the year's
        // change of each balance account (#UB less #IB) and each result account's #RES become one voucher on the
        // year's last day, so that the ledger shows the file's closing balances and results.
        if !fileHadVouchers, year != nil {
            var start: [Int: Money] = [:]
            for figure in openingFigures { start[figure.account] = figure.amount }
            switch balancesVoucher(yearIndex: 0, start: start) {
            case .none: break
            case .voucher(let draft):
                vouchers.append(PlannedVoucher(draft: draft, source: .import, reference: "SIE #UB #RES"))
                hasBalancesVoucher = true
            case .problem(let line, let reason): throw fail(line, reason)
            }
        }
        // Budgets: a year's budget is the sum of its months, per calendar year as Finsam budgets (a fiscal year of
        // July to June gives two). Only result accounts have budgets in the statements.
        var budgetSums: [AccountPeriod: Money] = [:]
        for budget in file.budgets where file.isBalanceSheet(budget.account) == false {
            use(budget.account)
            let natural = AccountClass(accountNumber: budget.account) == .cost ? budget.amount : -budget.amount
            let key = AccountPeriod(year: budget.year, month: 0, account: budget.account)
            guard let sum = try? (budgetSums[key] ?? .zero) + natural else {
                throw fail(budget.line, "#PBUDGET: budgeten för konto \(budget.account) \(budget.year) blir större än Finsam tillåter")
            }
            budgetSums[key] = sum
        }
        budgets = budgetSums.sorted { $0.key < $1.key }.map { (year: $0.key.year, account: $0.key.account, amount: $0.value) }
        accounts = names.keys.sorted().map { ($0, names[$0]!) }
        retypedAccounts = file.accountTypes.keys.filter {
            names[$0] != nil && file.isBalanceSheet($0) != AccountClass(accountNumber: $0)?.isBalanceSheet
        }.sorted()
        let dates = vouchers.map(\.draft.date) + [firstDate, lastDate].compactMap { $0 }
        lineCount += vouchers.reduce(0) { $0 + $1.draft.lines.count }
        if let first = dates.min(), let last = dates.max() {
            dateRange = min(first, year?.lowerBound ?? first)...max(last, year?.upperBound ?? last)
        } else if let year {
            dateRange = year
        }
    }

    /// A voucher of the file as a draft: its rows that are not zero, its lines' interventions from their objects. Nil
    /// for a cancelled voucher (every row zero). Throws when the voucher does not balance or breaks a limit.
    static func draft(
        _ voucher: SIEFile.Voucher, interventions: [SIEFile.Object: String], fail: (Int?, String) -> ServiceError
    ) throws -> VoucherDraft? {
        var lines: [VoucherDraft.Line] = []
        for transaction in voucher.lines where transaction.amount != .zero {
            let intervention = transaction.objects.lazy.compactMap { interventions[$0] }.first
            lines.append(VoucherDraft.Line(account: transaction.account, amount: transaction.amount,
                intervention: intervention, text: transaction.text))
        }
        guard !lines.isEmpty else { return nil }
        let series = voucher.series.isEmpty ? "I" : voucher.series
        let text = voucher.text.trimmingSpaces.isEmpty ? "Verifikation \(series) \(voucher.number)" : voucher.text
        let draft = VoucherDraft(date: voucher.date, series: series, text: text, lines: lines)
        do { try draft.validate() } catch {
            throw fail(voucher.line, "verifikation \(voucher.series) \(voucher.number): \(error)")
        }
        return draft
    }

    /// The second reading: the file's vouchers written batch by batch as they are read (about 20 000 lines a batch),
    /// then the balances voucher of a file without vouchers.
    func writeVouchers(_ bytes: [UInt8], _ c: isolated Connection, federationID: Int64, postedBy: String) async throws {
        let fileName = self.fileName
        func fail(_ line: Int?, _ reason: String) -> ServiceError { Self.failure(fileName, line, reason) }
        var reader = SIEReader(bytes)
        var batch: [VoucherStore.BatchVoucher] = []
        var batchLines = 0
        do {
            while let voucher = try reader.next() {
                guard let draft = try Self.draft(voucher, interventions: interventionCodes, fail: fail) else { continue }
                let name = "\(voucher.series) \(voucher.number)".trimmingSpaces
                let repeated = (numberCounts[name] ?? 0) > 1 || voucher.number.isEmpty
                batch.append(.init(draft: draft, source: .import, reference: "SIE \(name)" + (repeated ? " rad \(voucher.line)" : "")))
                batchLines += draft.lines.count
                if batchLines >= 20_000 {
                    try await VoucherStore.insertVouchers(c, batch, federationID: federationID, postedBy: postedBy)
                    batch.removeAll(keepingCapacity: true)
                    batchLines = 0
                }
            }
        } catch let error as SIEError {
            throw ServiceError.invalid("\(fileName): \(error)")
        }
        batch += vouchers.map { .init(draft: $0.draft, source: $0.source, reference: $0.reference) }
        try await VoucherStore.insertVouchers(c, batch, federationID: federationID, postedBy: postedBy)
    }

    enum BalancesChange {
        case none
        case voucher(VoucherDraft)
        case problem(line: Int?, reason: String)
    }

    /// The change of a year the file has balances for but no vouchers: each balance account from `start` (what the
    /// ledger holds at the year's start) to its #UB, and each result account's #RES, as one voucher (series SALDO)
    /// on the year's last day.
    func balancesVoucher(yearIndex: Int, start: [Int: Money]) -> BalancesChange {
        guard let year = file.fiscalYears[yearIndex] else { return .none }
        var changes: [Int: (amount: Money, line: Int?)] = [:]
        func add(_ account: Int, _ amount: Money, line: Int?) -> Bool {
            guard let sum = try? (changes[account]?.amount ?? .zero) + amount else { return false }
            changes[account] = (sum, changes[account]?.line ?? line)
            return true
        }
        let closing = file.closingBalances.filter { $0.yearIndex == yearIndex && file.isBalanceSheet($0.account) == true }
        for balance in closing where !add(balance.account, balance.amount, line: balance.line) {
            return .problem(line: balance.line, reason: "konto \(balance.account): saldot blir större än Finsam tillåter")
        }
        for (account, amount) in start where file.isBalanceSheet(account) == true && !add(account, -amount, line: nil) {
            return .problem(line: nil, reason: "konto \(account): saldot blir större än Finsam tillåter")
        }
        for result in file.results where result.yearIndex == yearIndex && file.isBalanceSheet(result.account) == false {
            guard add(result.account, result.amount, line: result.line) else {
                return .problem(line: result.line, reason: "konto \(result.account): saldot blir större än Finsam tillåter")
            }
        }
        let lines = changes.filter { $0.value.amount != .zero }.sorted { $0.key < $1.key }
            .map { VoucherDraft.Line(account: $0.key, amount: $0.value.amount) }
        guard !lines.isEmpty else { return .none }
        let draft = VoucherDraft(date: year.upperBound, series: "SALDO",
            text: "Årets förändring enligt SIE-filens saldon (#UB, #RES)", lines: lines)
        do { try draft.validate() } catch {
            let line = changes.values.compactMap(\.line).min()
            // A year already closed: the closing balances hold the year's result in equity, and the results state it
            // once more. Which equity account took it the file does not say, and Finsam keeps the year's result in
            // the result accounts: refused, with the reason.
            let balanceSum = try? lines.filter { file.isBalanceSheet($0.account) == true }.sum(\.amount)
            let resultSum = try? lines.filter { file.isBalanceSheet($0.account) == false }.sum(\.amount)
            if balanceSum == .zero, let resultSum, resultSum != .zero {
                return .problem(line: line, reason: "filens utgående balanser har redan årets resultat "
                    + "\(SwedishNumberFormat.kronor(-resultSum)) kr fört till eget kapital, och resultaten anger det en gång till; "
                    + "exportera saldona före bokslutet")
            }
            return .problem(line: line, reason: "filens utgående balanser och resultat går inte ihop med de ingående: \(error)")
        }
        return .voucher(draft)
    }

    /// The opening voucher of year `yearIndex`: what takes the ledger's balances at the year's start (`ledger`,
    /// balance accounts) to the file's #IB. Into an empty ledger that is the opening balances themselves; after
    /// an earlier year (imported before, or the file's previous year) only what differs, usually nothing. An
    /// account the ledger has a balance on and the file none goes to zero. What the lines lack of zero goes to
    /// `broughtForward`: earlier years' result that nobody had moved to equity when the file was written (it
    /// equals the file's #RES -1), or the previous year's result closed into equity. Returns the voucher and that
    /// amount (nil when none was needed).
    func openingVoucher(
        yearIndex: Int, figures: [SIEFile.Balance], ledger: [Int: Money], broughtForward: Int
    ) throws -> (voucher: PlannedVoucher?, difference: Money?) {
        guard let year = file.fiscalYears[yearIndex] else { return (nil, nil) }
        var differences: [Int: Money] = [:]
        for figure in figures { differences[figure.account] = try (differences[figure.account] ?? .zero) + figure.amount }
        for (account, balance) in ledger where balance != .zero {
            differences[account] = try (differences[account] ?? .zero) - balance
        }
        let sum = try differences.values.sum()
        var difference: Money?
        if sum != .zero {
            differences[broughtForward] = try (differences[broughtForward] ?? .zero) - sum
            difference = -sum
        }
        let lines = differences.filter { $0.value != .zero }.sorted { $0.key < $1.key }
            .map { VoucherDraft.Line(account: $0.key, amount: $0.value,
                text: $0.key == broughtForward && difference != nil ? "Skillnad i ingående balans (tidigare års resultat)" : nil) }
        guard !lines.isEmpty else { return (nil, difference) }
        let draft = VoucherDraft(date: year.lowerBound, series: "IB",
            text: ledger.isEmpty ? "Ingående balanser" : "Ingående balanser, skillnad mot bokföringen", lines: lines)
        return (PlannedVoucher(draft: draft, source: .opening, reference: yearIndex == 0 ? "SIE #IB" : "SIE #IB \(yearIndex)"), difference)
    }

    struct PreviousYearPlan {
        var fiscalYear: String
        var vouchers: [PlannedVoucher]
        var leftOut: String?
        /// What the year's opening balances lacked of zero (booked on the brought-forward account), as the file states it.
        var openingSum: Money? = nil
    }

    /// The previous year (#RAR -1) as comparative figures, so that the statements' previous-year column and the
    /// balance sheet's comparison date are filled after a migration: its opening balances (#IB -1) and the year's
    /// change (#UB -1, #RES -1), as for a file of balances only. Left out, saying why, when the ledger already has
    /// vouchers in that year (then it is the federation's own) or when the figures do not hold together; the
    /// year itself is imported either way. Nil when the file has no previous year's figures.
    func previousYear(_ c: isolated Connection, federationID: Int64, broughtForward: Int) async throws -> PreviousYearPlan? {
        guard let range = file.fiscalYears[-1] else { return nil }
        let opening = file.openingBalances.filter { $0.yearIndex == -1 && $0.amount != .zero }
        let closing = file.closingBalances.filter { $0.yearIndex == -1 }
        let results = file.results.filter { $0.yearIndex == -1 }
        guard !closing.isEmpty || !results.isEmpty else { return nil }
        let label = "\(range.lowerBound)–\(range.upperBound)"
        func leftOut(_ reason: String) -> PreviousYearPlan { PreviousYearPlan(fiscalYear: label, vouchers: [], leftOut: reason) }
        if let year = file.fiscalYears[0], range.upperBound >= year.lowerBound {
            return leftOut("föregående år (#RAR -1) slutar inte före räkenskapsåret")
        }
        guard !closing.isEmpty else { return leftOut("filen har resultat men inga utgående balanser (#UB -1) för året") }
        let existing = try await LedgerStore.voucherCount(c, federationID: federationID, in: range)
        guard existing == 0 else { return leftOut("bokföringen har redan \(existing) verifikationer det året") }
        if let result = opening.first(where: { file.isBalanceSheet($0.account) != true }) {
            return leftOut("rad \(result.line): #IB -1 för resultatkonto \(result.account)")
        }
        let before = try await LedgerStore.accountBalances(c, federationID: federationID, through: range.lowerBound.adding(days: -1))
            .filter { file.isBalanceSheet($0.key) == true }
        var vouchers: [PlannedVoucher] = []
        var start = before
        var openingSum: Money?
        if !opening.isEmpty {
            let booked = try openingVoucher(yearIndex: -1, figures: opening, ledger: before, broughtForward: broughtForward)
            if let voucher = booked.voucher { vouchers.append(voucher) }
            openingSum = booked.difference.map { -$0 }
            start = [:]
            for figure in opening { start[figure.account] = try (start[figure.account] ?? .zero) + figure.amount }
        }
        switch balancesVoucher(yearIndex: -1, start: start) {
        case .none: break
        case .voucher(let draft):
            vouchers.append(PlannedVoucher(draft: draft, source: .import, reference: "SIE #UB -1 #RES -1"))
        case .problem(let line, let reason):
            return leftOut((line.map { "rad \($0): " } ?? "") + reason)
        }
        return PreviousYearPlan(fiscalYear: label, vouchers: vouchers, leftOut: nil, openingSum: openingSum)
    }

    /// Compares the ledger with the file's #UB 0 (balance accounts) and #RES 0 (result accounts) over the
    /// file's year. Returns how many figures were compared; throws naming the first that differs.
    /// Balance accounts are compared cumulatively (everything up to the year's end), result accounts over the year.
    /// `openingDifference` was booked on `broughtForward` on top of the file's figures.
    func verify(
        _ c: isolated Connection, federationID: Int64, broughtForward: Int, openingDifference: Money?
    ) async throws -> (Int, Int) {
        guard let year = file.fiscalYears[0] else { return (0, 0) }
        let closing = file.closingBalances.filter { $0.yearIndex == 0 }
        let statedResults = file.results.filter { $0.yearIndex == 0 }
        guard !closing.isEmpty || !statedResults.isEmpty else { return (0, 0) }
        let balances = try await LedgerStore.accountBalances(c, federationID: federationID, through: year.upperBound)
        let results = try await LedgerStore.accountSums(c, federationID: federationID, from: year.lowerBound, through: year.upperBound)
        var ledger: [Int: Money] = [:]
        for (account, amount) in balances where file.isBalanceSheet(account) == true { ledger[account] = amount }
        for (account, amount) in results where file.isBalanceSheet(account) != true { ledger[account] = amount }
        func compare(_ figures: [SIEFile.Balance], _ label: String, balanceSheet: Bool) throws -> Int {
            var stated: [Int: (Money, Int)] = [:]
            for figure in figures {
                stated[figure.account] = (figure.amount, figure.line)
            }
            let accounts = Set(stated.keys).union(ledger.keys.filter {
                file.isBalanceSheet($0) == balanceSheet
            })
            for account in accounts.sorted() {
                var expected = stated[account]?.0 ?? .zero
                if balanceSheet, account == broughtForward, let difference = openingDifference {
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
        let res = statedResults.isEmpty ? 0 : try compare(statedResults, "#RES", balanceSheet: false)
        return (ub, res)
    }
}

/// The SQL of sums over the ledger that an SIE import compares with the file: voucher counts, balances, sums per
/// account.
enum LedgerStore {
    /// How many vouchers the federation has dated within `range`.
    static func voucherCount(_ c: isolated Connection, federationID: Int64, in range: ClosedRange<CalendarDate>) async throws -> Int64 {
        try await c.query(
            "SELECT count(*) FROM voucher WHERE federation_id = $1 AND voucher_date BETWEEN $2 AND $3",
            [federationID, PostgresDate(range.lowerBound), PostgresDate(range.upperBound)]).scalar(Int64.self)
    }

    /// Each account's balance at the end of `date`: everything booked up to then.
    static func accountBalances(_ c: isolated Connection, federationID: Int64, through date: CalendarDate) async throws -> [Int: Money] {
        try await LedgerStore.accountSums(c, federationID: federationID, from: CalendarDate(year: 1900, month: 1, day: 1)!, through: date)
    }

    /// Each account's sum of what was booked from `from` through `through`.
    static func accountSums(_ c: isolated Connection, federationID: Int64, from: CalendarDate, through: CalendarDate) async throws -> [Int: Money] {
        var sums: [Int: Money] = [:]
        for row in try await c.query(
            "SELECT account_number, sum(amount_ore)::int8 FROM finsam_ledger_sums($1, $2, $3) GROUP BY 1",
            [federationID, PostgresDate(from), PostgresDate(through)]
        ).rows {
            sums[try row.decode(Int.self, at: 0)] = Money(öre: try row.decode(Int64.self, at: 1))
        }
        return sums
    }
}
