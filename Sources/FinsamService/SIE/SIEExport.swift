public import FinsamCore
import Postgres

/// Writes a federation's year as SIE 4E with #KSUMMA: the chart, interventions as objects of dimension 6,
/// opening and closing balances, results and every voucher of the year. Importing the file again gives
/// the same balances.
public struct SIEExport: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// The dimension interventions are exported in: 6 is the SIE standard's "Projekt".
    public static let interventionDimension = 6

    public func run(for federation: String, year: Int, today: CalendarDate, by user: User) async throws -> [UInt8] {
        try await database.read(user, .sieExport, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            var file = SIEFile()
            let start = CalendarDate.firstDay(ofYear: year)
            let end = CalendarDate.lastDay(ofYear: year)
            file.fiscalYears[0] = start...end
            for row in try await c.query(
                "SELECT account_number, name FROM account WHERE federation_id = $1 ORDER BY 1", [found.id]
            ).rows {
                file.accounts.append((try row.decode(Int.self, at: 0), try row.decode(String.self, at: 1)))
            }
            let interventions = try await c.query(
                "SELECT code, name FROM intervention WHERE federation_id = $1 ORDER BY code", [found.id])
            if interventions.count > 0 { file.dimensions[SIEExport.interventionDimension] = "Insats" }
            for row in interventions.rows {
                file.objects[SIEFile.Object(dimension: SIEExport.interventionDimension, id: try row.decode(String.self, at: 0))] =
                    try row.decode(String.self, at: 1)
            }
            // The year and the one before it (#RAR -1), so that the previous year's figures come along as comparative
            // figures. Results of earlier years not closed into equity are part of the equity brought forward: in the
            // opening balances they go to the federation's brought-forward account, so that they balance as SIE
            // requires.
            let previousStart = CalendarDate.firstDay(ofYear: year - 1)
            let broughtForward = try await PostingAccountStore.postingAccounts(c, federationID: found.id).broughtForward
            let earlier = try await LedgerStore.accountBalances(c, federationID: found.id, through: previousStart.adding(days: -1))
            let previous = try await LedgerStore.accountSums(c, federationID: found.id, from: previousStart, through: start.adding(days: -1))
            let during = try await LedgerStore.accountSums(c, federationID: found.id, from: start, through: end)
            func isBalance(_ account: Int) -> Bool { AccountClass(accountNumber: account)?.isBalanceSheet == true }
            /// Balance accounts at a year's start, earlier results folded into the brought-forward account.
            func opening(_ sums: [Int: Money]) throws -> [Int: Money] {
                var balances = sums.filter { isBalance($0.key) }
                let results = try sums.filter { !isBalance($0.key) }.values.sum()
                if results != .zero { try balances[broughtForward, default: .zero] += results }
                return balances
            }
            func append(_ balances: [Int: Money], to list: WritableKeyPath<SIEFile, [SIEFile.Balance]>, yearIndex: Int) {
                for account in balances.keys.sorted() where balances[account] != .zero {
                    file[keyPath: list].append(.init(yearIndex: yearIndex, account: account, amount: balances[account]!, line: 0))
                }
            }
            var beforeYear = earlier
            for (account, amount) in previous { try beforeYear[account, default: .zero] += amount }
            let openingBalances = try opening(beforeYear)
            var closingBalances = openingBalances
            for (account, amount) in during where isBalance(account) { try closingBalances[account, default: .zero] += amount }
            if !previous.isEmpty || !earlier.isEmpty {
                file.fiscalYears[-1] = previousStart...CalendarDate.lastDay(ofYear: year - 1)
                let previousOpening = try opening(earlier)
                var previousClosing = previousOpening
                for (account, amount) in previous where isBalance(account) { try previousClosing[account, default: .zero] += amount }
                append(previousOpening, to: \.openingBalances, yearIndex: -1)
                append(previousClosing, to: \.closingBalances, yearIndex: -1)
                append(previous.filter { !isBalance($0.key) }, to: \.results, yearIndex: -1)
            }
            append(openingBalances, to: \.openingBalances, yearIndex: 0)
            append(closingBalances, to: \.closingBalances, yearIndex: 0)
            append(during.filter { !isBalance($0.key) }, to: \.results, yearIndex: 0)
            let ids = try await c.query(
                "SELECT voucher_id FROM voucher WHERE federation_id = $1 AND fiscal_year = $2 ORDER BY series, number",
                [found.id, year]
            ).rows.map { try $0.decode(Int64.self, at: 0) }
            for voucher in try await VoucherStore.loadVouchers(c, federationID: found.id, ids: ids) {
                file.vouchers.append(SIEFile.Voucher(
                    series: voucher.reference.series, number: String(voucher.reference.number), date: voucher.date,
                    text: voucher.text,
                    lines: voucher.lines.map { line in
                        SIEFile.Transaction(
                            account: line.account,
                            objects: line.intervention.map { [SIEFile.Object(dimension: SIEExport.interventionDimension, id: $0)] } ?? [],
                            amount: line.amount, text: line.text, line: 0)
                    }, line: 0))
            }
            return SIEWriter.write(file, header: .init(
                programVersion: "1.0", generated: today, generatedBy: user.name, companyName: found.name,
                organisationNumber: found.orgnr))
        }
    }
}
