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
        try await database.read(user) { c in
            let found = try await c.federation(federation)
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
            // Results of earlier years not closed into equity are part of the equity brought forward: they go
            // into the first equity account, so that the opening balances balance as SIE requires.
            let balances = try await c.query(
                """
                SELECT 'before' AS part, account_number, sum(amount_ore)::int8 AS amount
                FROM finsam_ledger_sums($1, '1900-01-01', $2) GROUP BY 2
                UNION ALL
                SELECT 'year', account_number, sum(amount_ore)::int8 FROM finsam_ledger_sums($1, $3, $4) GROUP BY 2
                """, [found.id, PostgresDate(start).adding(days: -1), PostgresDate(start), PostgresDate(end)])
            var before: [Int: Money] = [:]
            var during: [Int: Money] = [:]
            for row in balances.rows {
                let account = try row.decode(Int.self, "account_number")
                let amount = Money(öre: try row.decode(Int64.self, "amount"))
                if try row.decode(String.self, "part") == "before" { before[account] = amount } else { during[account] = amount }
            }
            let earlierResults = try before.filter { $0.key >= 3000 }.values.sum()
            if earlierResults != .zero {
                guard let equity = file.accounts.map(\.number).first(where: { (2000...2099).contains($0) }) else {
                    throw ServiceError.invalid("kontoplanen saknar eget kapital-konto (2000–2099) för tidigare års resultat")
                }
                try before[equity, default: .zero] += earlierResults
            }
            let balanceAccounts = Set(before.keys.filter { $0 < 3000 }).union(during.keys.filter { $0 < 3000 }).sorted()
            for account in balanceAccounts {
                let opening = before[account] ?? .zero
                let closing = try opening + (during[account] ?? .zero)
                if opening != .zero { file.openingBalances.append(.init(yearIndex: 0, account: account, amount: opening, line: 0)) }
                if closing != .zero { file.closingBalances.append(.init(yearIndex: 0, account: account, amount: closing, line: 0)) }
            }
            for account in during.keys.filter({ $0 >= 3000 }).sorted() where during[account] != .zero {
                file.results.append(.init(yearIndex: 0, account: account, amount: during[account]!, line: 0))
            }
            let ids = try await c.query(
                "SELECT voucher_id FROM voucher WHERE federation_id = $1 AND fiscal_year = $2 ORDER BY series, number",
                [found.id, year]
            ).rows.map { try $0.decode(Int64.self, at: 0) }
            for voucher in try await c.loadVouchers(federationID: found.id, ids: ids) {
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
