public import FinsamCore
import Postgres

/// How a SIE file's content maps onto a federation.
public struct SIEImportOptions: Sendable {
    /// The SIE dimension whose objects become interventions (e.g. 6, "Projekt"); nil maps none.
    public var interventionDimension: Int?
    /// The cost category of interventions created from that dimension.
    public var interventionCategory: CostCategory
    /// The cost category of cost accounts the file brings that the chart does not have yet: their costs must
    /// resolve to a category (DOMAIN.md) when a line has no intervention.
    public var costCategory: CostCategory
    /// A mapping file a person edited (ChartMappingFile): its name, for messages, and its text. What it says of an
    /// account decides over the proposal.
    public var mappingFile: (name: String, text: String)?

    public init(interventionDimension: Int? = nil, interventionCategory: CostCategory = .individual,
        costCategory: CostCategory = .administration, mappingFile: (name: String, text: String)? = nil)
    {
        self.interventionDimension = interventionDimension
        self.interventionCategory = interventionCategory
        self.costCategory = costCategory
        self.mappingFile = mappingFile
    }
}

/// What an import would do, shown before anything is kept: the summary (with the mapping) and the income statement
/// of the file's year as the federation's report would read after it.
public struct SIEImportPreview: Sendable, Codable, Equatable {
    public var summary: SIEImportSummary
    public var incomeStatement: IncomeStatement?
}

public struct SIEImportSummary: Sendable, Codable, Equatable {
    public var fileName: String
    public var program: String?
    public var fiscalYear: String?
    public var accountsCreated: Int
    public var interventionsCreated: Int
    public var vouchers: Int
    public var lines: Int
    public var openingBalances: Int
    /// How many of the file's #UB and #RES figures were compared with the ledger after the import (all equal).
    public var closingBalancesChecked: Int
    public var resultsChecked: Int
    public var checksumVerified: Bool
    /// Vouchers whose rows were all zero (cancelled in the other program): not booked.
    public var skippedVouchers: Int
    /// Accounts of the federation's chart, still without lines, that took the file's name instead of their own.
    public var renamedAccounts: [AccountRename] = []
    /// Voucher numbers the file uses more than once (`"# 1"`), with how many times: each such voucher was booked
    /// on its own, its source reference naming its line in the file.
    public var repeatedVoucherNumbers: [RepeatedNumber] = []
    /// What the file's opening balances lacked of zero, and the equity account it was booked on (nil: they
    /// summed to 0).
    public var openingDifference: OpeningDifference?

    public struct OpeningDifference: Sendable, Codable, Equatable {
        /// The sum of the file's #IB 0: the amount booked on `account` is its opposite.
        public var sum: Money
        public var account: Int
        public var accountName: String
    }
    /// The file had balances and no vouchers (SIE 1–3): the year's change was booked as one voucher (series SALDO)
    /// on the year's last day.
    public var balancesOnly: Bool = false
    /// Accounts whose #KTYP in the file says balance account though the number's class is a result class (or the
    /// reverse): the file decided how they were checked.
    public var retypedAccounts: [Int] = []
    /// Account numbers the file declares (#KONTO, #KTYP) that Finsam's chart cannot hold and nothing uses: left out.
    public var ignoredAccounts: [String] = []
    /// Budget lines (account and calendar year) written from the file's #PBUDGET, and those left as they were
    /// because the federation already had a budget for that account and year.
    public var budgetLines: Int = 0
    public var budgetLinesKept: Int = 0
    /// The previous year (#RAR -1) as comparative figures: booked from the file's #IB -1, #UB -1 and #RES -1 when the
    /// ledger had nothing in that year; else why not.
    public var previousYear: PreviousYear?
    /// What each revenue and cost account the file uses means to the federation (ChartMappingProposal), as applied
    /// to the federation's accounts, conflicts with the chart before included.
    public var mapping: [ChartMappingEntry] = []
    /// Dimension objects whose lines count for an intervention: named by the mapping file, or of the dimension chosen.
    public var objects: [ObjectMappingEntry] = []

    public struct PreviousYear: Sendable, Codable, Equatable {
        public var fiscalYear: String
        /// Vouchers written for it (an opening voucher and the year's change); 0 when left out.
        public var vouchers: Int
        /// Why the year was left out, nil when it was booked.
        public var leftOut: String?
        /// What the year's opening balances (#IB -1) lacked of zero, booked on the brought-forward account.
        public var openingDifference: Money?
    }

    public struct RepeatedNumber: Sendable, Codable, Equatable {
        public var voucher: String
        public var count: Int

        public init(voucher: String, count: Int) {
            self.voucher = voucher
            self.count = count
        }
    }

    public struct AccountRename: Sendable, Codable, Equatable {
        public var account: Int
        public var from: String
        public var to: String

        public init(account: Int, from: String, to: String) {
            self.account = account
            self.from = from
            self.to = to
        }
    }
}

/// Reads a SIE 4 file into a federation: chart, opening balances, vouchers, dimensions mapped to interventions.
/// All or nothing: one transaction, and after writing, the ledger's balances for the file's year are compared
/// with the file's own #UB and #RES; any difference rolls everything back.
public struct SIEImport: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func run(
        _ bytes: [UInt8], fileName: String, into federation: String, options: SIEImportOptions = .init(), by user: User
    ) async throws -> SIEImportSummary {
        // The file is parsed inside the transaction, on the connection's own thread: a large file takes seconds of
        // CPU, which must not hold one of Swift's few cooperative threads (in finsamd, other requests would wait), and
        // who may import is checked before the file is read.
        try await database.write(user, .sieImport, in: federation) { c in
            let (plan, mapping) = try Self.prepare(bytes, fileName: fileName, options: options)
            return try await Self.importing(c, plan: plan, bytes: bytes, mapping: mapping, into: federation, options: options, by: user)
        }
    }

    /// The import done and shown, then rolled back: the summary with the proposed mapping, and the income statement of
    /// the file's year (through its last date) as it would read.
    public func preview(
        _ bytes: [UInt8], fileName: String, into federation: String, options: SIEImportOptions = .init(), by user: User
    ) async throws -> SIEImportPreview {
        // Parsed inside, as `run` does.
        try await database.preview(user, .sieImport, in: federation) { c in
            let (plan, mapping) = try Self.prepare(bytes, fileName: fileName, options: options)
            let summary = try await Self.importing(c, plan: plan, bytes: bytes, mapping: mapping, into: federation, options: options, by: user)
            var statement: IncomeStatement?
            if let year = plan.file.fiscalYears[0], year.lowerBound.year == year.upperBound.year {
                statement = try await IncomeStatementReport.make(
                    c, federation: try await FederationStore.federation(c, federation), year: year.upperBound.year, end: year.upperBound)
            }
            return SIEImportPreview(summary: summary, incomeStatement: statement)
        }
    }

    static func prepare(
        _ bytes: [UInt8], fileName: String, options: SIEImportOptions
    ) throws -> (SIEImportPlan, [Int: AccountMeaning]) {
        try PlainText.require(fileName, "filnamnet", limit: 255)
        var mapping = ChartMappingFile.Content()
        if let mappingFile = options.mappingFile {
            try PlainText.require(mappingFile.name, "mappningsfilens namn", limit: 255)
            do { mapping = try ChartMappingFile.parse(mappingFile.text) } catch {
                throw ServiceError.invalid("\(mappingFile.name): \(error)")
            }
        }
        return (try SIEImportPlan(bytes: bytes, fileName: fileName, options: options, objectMapping: mapping.objects),
                mapping.accounts)
    }

    static func importing(
        _ c: isolated Connection, plan: SIEImportPlan, bytes: [UInt8], mapping: [Int: AccountMeaning], into federation: String,
        options: SIEImportOptions, by user: User
    ) async throws -> SIEImportSummary {
        let file = plan.file
        let fileName = plan.fileName
        let found = try await FederationStore.federation(c, federation)
        // What the file's revenue and cost accounts mean to the federation, worked out against the chart as it
        // is before the import (so that a conflict with it shows).
        let context = try await ChartMappingStore.mappingContext(c, federationID: found.id)
        let fileNames = Dictionary(uniqueKeysWithValues: plan.accounts.map { ($0.number, $0.name) })
        let entries = ChartMappingProposal.propose(
            accounts: plan.usedAccounts.sorted().map { ($0, fileNames[$0] ?? "Konto \($0)") }, existing: context.existing,
            members: context.members, interventions: context.interventions, mapping: mapping,
            interventionCategory: options.interventionCategory, costCategory: options.costCategory)
        if let unused = mapping.keys.sorted().first(where: { !plan.usedAccounts.contains($0) }), let source = options.mappingFile {
            throw ServiceError.invalid("\(source.name): konto \(unused) används inte i \(fileName)")
        }
        let broughtForward = try await PostingAccountStore.postingAccounts(c, federationID: found.id).broughtForward
        try await c.query(
            """
            INSERT INTO import_file (federation_id, kind, file_name, sha256, voucher_count, imported_by)
            VALUES ($1, 'sie', $2, sha256($3), $4, $5)
            """, [found.id, fileName, PostgresBytes(bytes), plan.voucherCount + plan.vouchers.count, user.name])
        if let range = plan.dateRange {
            let existing = try await LedgerStore.voucherCount(c, federationID: found.id, in: range)
            guard existing == 0 else {
                throw ServiceError.conflict(
                    "\(fileName): förbundet har redan \(existing) verifikationer mellan \(range.lowerBound) och \(range.upperBound); en SIE-fil läses in i en tom period")
            }
        }
        // The file brings its chart: new accounts are created; accounts of the federation's chart that have
        // no lines yet take the file's name (and the summary says so, name by name); cost accounts without a
        // category get the default one.
        var renamed: [SIEImportSummary.AccountRename] = []
        for row in try await c.query(
            """
            SELECT a.account_number, a.name FROM account a
            WHERE a.federation_id = $1 AND a.account_number = ANY($2::int4[])
              AND NOT EXISTS (SELECT 1 FROM voucher_line l WHERE l.federation_id = a.federation_id AND l.account_number = a.account_number)
            ORDER BY 1
            """, [found.id, plan.accounts.map { Int32($0.number) }]
        ).rows {
            let number = try row.decode(Int.self, at: 0), name = try row.decode(String.self, at: 1)
            if let newName = fileNames[number], newName != name {
                renamed.append(.init(account: number, from: name, to: newName))
            }
        }
        let accountRows = try await c.query(
            """
            INSERT INTO account AS a (federation_id, account_number, name, cost_category, administration_line)
            SELECT $1, number, name,
                   CASE WHEN finsam_account_group(number::int) BETWEEN 4000 AND 7999 THEN $4::cost_category END,
                   CASE WHEN finsam_account_group(number::int) BETWEEN 4000 AND 7999 AND $4 = 'administration' THEN 'other'::administration_line END
            FROM unnest($2::int8[], $3::text[]) AS t (number, name)
            ON CONFLICT (federation_id, account_number) DO UPDATE SET
                name = CASE WHEN EXISTS (SELECT 1 FROM voucher_line l WHERE l.federation_id = a.federation_id
                                         AND l.account_number = a.account_number)
                            THEN a.name ELSE excluded.name END,
                cost_category = CASE WHEN a.intervention_id IS NULL THEN coalesce(a.cost_category, excluded.cost_category) END,
                administration_line = CASE WHEN a.intervention_id IS NOT NULL THEN NULL
                                           WHEN a.cost_category IS NULL THEN excluded.administration_line
                                           ELSE a.administration_line END
            RETURNING (xmax = 0) AS inserted
            """, [found.id, plan.accounts.map { Int64($0.number) }, plan.accounts.map(\.name),
                  options.costCategory.rawValue])
        let accountsCreated = try accountRows.rows.filter { try $0.decode(Bool.self, at: 0) }.count
        let mappedInterventions = try await ChartMappingStore.applyMapping(c,
            entries, federationID: found.id,
            activeFrom: plan.interventionsActiveFrom,
            defaultCategory: options.interventionCategory, source: options.mappingFile?.name ?? fileName)
        let existingInterventions = try await CodeStore.interventionIDs(c, Set(plan.interventions.map(\.code)), federationID: found.id)
        var interventionsCreated = mappedInterventions
        for intervention in plan.interventions where existingInterventions[intervention.code] == nil {
            try await InterventionStore.insert(c, intervention, federationID: found.id)
            interventionsCreated += 1
        }
        func book(_ voucher: SIEImportPlan.PlannedVoucher) async throws {
            try await VoucherStore.insertVoucher(c,
                voucher.draft, federationID: found.id, source: voucher.source, sourceReference: voucher.reference,
                idempotencyKey: nil, reverses: nil, postedBy: user.name)
        }
        let previousYear = try await plan.previousYear(c, federationID: found.id, broughtForward: broughtForward)
        for voucher in previousYear?.vouchers ?? [] { try await book(voucher) }
        // The opening balances against what the ledger holds at the year's start (the previous year just booked,
        // or books imported before).
        var openingDifference: Money?
        if let year = file.fiscalYears[0] {
            let before = try await LedgerStore.accountBalances(c, federationID: found.id, through: year.lowerBound.adding(days: -1))
            let opening = try plan.openingVoucher(
                yearIndex: 0, figures: plan.openingFigures,
                ledger: before.filter { file.isBalanceSheet($0.key) == true }, broughtForward: broughtForward)
            if let voucher = opening.voucher { try await book(voucher) }
            openingDifference = opening.difference
        }
        try await plan.writeVouchers(bytes, c, federationID: found.id, postedBy: user.name)
        var budgetLines = 0
        if !plan.budgets.isEmpty {
            budgetLines = try await c.query(
                """
                INSERT INTO budget_line (federation_id, kind, fiscal_year, account_number, amount_ore, updated_by)
                SELECT $1, 'budget', year, account, amount, $5 FROM unnest($2::int4[], $3::int4[], $4::int8[]) AS t (year, account, amount)
                ON CONFLICT ON CONSTRAINT budget_line_key DO NOTHING
                RETURNING 1
                """,
                [found.id, plan.budgets.map { Int32($0.year) }, plan.budgets.map { Int32($0.account) },
                 plan.budgets.map(\.amount.öre), user.name]).count
        }
        let (ubChecked, resChecked) = try await plan.verify(
            c, federationID: found.id, broughtForward: broughtForward, openingDifference: openingDifference)
        let broughtForwardName = try await c.query(
            "SELECT name FROM account WHERE federation_id = $1 AND account_number = $2", [found.id, broughtForward]
        ).scalar(String.self)
        return SIEImportSummary(
            fileName: fileName, program: file.program,
            fiscalYear: file.fiscalYears[0].map { "\($0.lowerBound)–\($0.upperBound)" },
            accountsCreated: accountsCreated, interventionsCreated: interventionsCreated,
            vouchers: plan.voucherCount,
            lines: plan.lineCount, openingBalances: plan.openingFigures.count,
            closingBalancesChecked: ubChecked, resultsChecked: resChecked,
            checksumVerified: file.statedChecksum != nil, skippedVouchers: plan.skippedVouchers, renamedAccounts: renamed,
            repeatedVoucherNumbers: plan.repeatedNumbers.map { .init(voucher: $0.voucher, count: $0.count) },
            openingDifference: openingDifference.map { .init(sum: -$0, account: broughtForward, accountName: broughtForwardName) },
            balancesOnly: plan.hasBalancesVoucher, retypedAccounts: plan.retypedAccounts,
            ignoredAccounts: file.unusableAccounts.keys.sorted(), budgetLines: budgetLines,
            budgetLinesKept: plan.budgets.count - budgetLines,
            previousYear: previousYear.map { .init(fiscalYear: $0.fiscalYear, vouchers: $0.vouchers.count, leftOut: $0.leftOut, openingDifference: $0.openingSum) },
            mapping: entries, objects: plan.mappedObjects)
    }
}

