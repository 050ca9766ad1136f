public import FinsamCore
import Postgres

/// Balansräkning at two dates: assets against equity and liabilities, with the check that they are equal.
/// Amounts in the natural sign (assets positive, equity and liabilities positive).
public struct BalanceSheet: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public var key: String
        public var label: String
        public var at: Money
        public var compare: Money?
    }

    public var federation: String
    public var federationName: String
    public var at: CalendarDate
    public var compare: CalendarDate?
    public var assets: [Row]
    public var totalAssets: Row
    public var equity: [Row]
    public var totalEquity: Row
    public var liabilities: [Row]
    public var totalEquityAndLiabilities: Row
    /// Assets minus equity and liabilities at each date: zero when the books are right.
    public var difference: Row
    public var balances: Bool { difference.at == .zero && (difference.compare ?? .zero) == .zero }
}

public struct BalanceSheetReport: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    static let assetGroups: [(key: String, label: String, range: ClosedRange<Int>, always: Bool)] = [
        ("fixed-assets", "Anläggningstillgångar", 1000...1399, false),
        ("inventory", "Förråd", 1400...1499, false),
        ("receivables", "Fordringar", 1500...1799, true),
        ("short-investments", "Kortfristiga placeringar", 1800...1899, false),
        ("cash", "Kassa och bank", 1900...1999, true),
    ]
    static let liabilityGroups: [(key: String, label: String, range: ClosedRange<Int>, always: Bool)] = [
        ("provisions", "Avsättningar", 2100...2299, false),
        ("long-term", "Långfristiga skulder", 2300...2399, false),
        ("short-term", "Kortfristiga skulder", 2400...2999, true),
    ]

    public func make(for federation: String, at: CalendarDate, compare: CalendarDate?, by user: User) async throws -> BalanceSheet {
        try await database.read(user, .reportRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            let first = try await BalanceSheetReport.groups(c, federationID: found.id, at: at)
            var second: [String: Money]?
            if let compare { second = try await BalanceSheetReport.groups(c, federationID: found.id, at: compare) }
            func row(_ key: String, _ label: String) -> BalanceSheet.Row {
                BalanceSheet.Row(key: key, label: label, at: first[key] ?? .zero, compare: second.map { $0[key] ?? .zero })
            }
            func sum(_ key: String, _ label: String, _ rows: [BalanceSheet.Row]) throws -> BalanceSheet.Row {
                BalanceSheet.Row(key: key, label: label, at: try rows.sum(\.at),
                    compare: try second.map { _ in try rows.sum { $0.compare ?? .zero } })
            }
            let visible: (BalanceSheet.Row, Bool) -> Bool = { row, always in
                always || row.at != .zero || (row.compare ?? .zero) != .zero
            }
            let assets = BalanceSheetReport.assetGroups.map { (row($0.key, $0.label), $0.always) }.filter(visible).map(\.0)
            let equity = [row("brought-forward", "Ingående eget kapital"), row("result", "Årets resultat")]
            let totalEquity = try sum("equity", "Summa eget kapital", equity)
            let liabilities = BalanceSheetReport.liabilityGroups.map { (row($0.key, $0.label), $0.always) }
                .filter(visible).map(\.0)
            let totalAssets = try sum("assets", "Summa tillgångar", assets)
            let totalEquityAndLiabilities = try sum("equity-and-liabilities", "Summa eget kapital och skulder",
                [totalEquity] + liabilities)
            let difference = BalanceSheet.Row(
                key: "difference", label: "Differens", at: try totalAssets.at - totalEquityAndLiabilities.at,
                compare: try second.map { _ in try (totalAssets.compare ?? .zero) - (totalEquityAndLiabilities.compare ?? .zero) })
            return BalanceSheet(
                federation: found.code, federationName: found.name, at: at, compare: compare, assets: assets,
                totalAssets: totalAssets, equity: equity, totalEquity: totalEquity, liabilities: liabilities,
                totalEquityAndLiabilities: totalEquityAndLiabilities, difference: difference)
        }
    }

    /// Group sums at the end of `at`, natural sign. Equity brought forward is the equity accounts plus the
    /// results of earlier years not yet closed into them; the year's result is this year's revenue less costs.
    static func groups(_ c: isolated Connection, federationID: Int64, at: CalendarDate) async throws -> [String: Money] {
        var groups: [String: Money] = [:]
        let rows = try await c.query(
            """
            SELECT 'all' AS part, account_number, sum(amount_ore)::int8 AS amount
            FROM finsam_ledger_sums($1, '1900-01-01', $2) GROUP BY account_number
            UNION ALL
            SELECT 'year', account_number, sum(amount_ore)::int8
            FROM finsam_ledger_sums($1, $3, $2) WHERE finsam_account_group(account_number) >= 3000 GROUP BY account_number
            """, [federationID, PostgresDate(at), PostgresDate(CalendarDate.firstDay(ofYear: at.year))])
        for row in rows.rows {
            // A sub-account (143010) belongs where its four-digit group does.
            let number = try row.decode(Int.self, "account_number")
            let account = AccountNumber.group(number) ?? number
            let amount = Money(öre: try row.decode(Int64.self, "amount"))
            if try row.decode(String.self, "part") == "year" {
                try groups["result", default: .zero] -= amount
                try groups["brought-forward", default: .zero] += amount
                continue
            }
            if let group = assetGroups.first(where: { $0.range.contains(account) }) {
                try groups[group.key, default: .zero] += amount
            } else if (2000...2099).contains(account) || account >= 3000 {
                try groups["brought-forward", default: .zero] -= amount
            } else if let group = liabilityGroups.first(where: { $0.range.contains(account) }) {
                try groups[group.key, default: .zero] -= amount
            }
        }
        return groups
    }
}
