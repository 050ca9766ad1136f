public import FinsamCore
import Postgres

/// Resultaträkning with the four columns a board compares (DOMAIN.md, Reports): actual of the previous year,
/// budget, actual year to date, full-year forecast. Amounts in the natural sign: revenue and costs positive.
public struct IncomeStatement: Sendable, Codable, Equatable {
    public struct Amounts: Sendable, Codable, Equatable {
        public var previousYear: Money = .zero
        public var budget: Money = .zero
        public var actual: Money = .zero
        public var forecast: Money = .zero

        public static func + (a: Amounts, b: Amounts) throws(MoneyOverflow) -> Amounts {
            Amounts(previousYear: try a.previousYear + b.previousYear, budget: try a.budget + b.budget,
                actual: try a.actual + b.actual, forecast: try a.forecast + b.forecast)
        }

        public static func - (a: Amounts, b: Amounts) throws(MoneyOverflow) -> Amounts {
            Amounts(previousYear: try a.previousYear - b.previousYear, budget: try a.budget - b.budget,
                actual: try a.actual - b.actual, forecast: try a.forecast - b.forecast)
        }

        var isZero: Bool { self == Amounts() }
    }

    public struct Row: Sendable, Codable, Equatable {
        /// member, contribution-account, other-revenue, interest, internal, intervention, reserve, other-cost,
        /// administration.
        public var kind: String
        public var code: String?
        public var label: String
        public var amounts: Amounts
    }

    public struct Section: Sendable, Codable, Equatable {
        public var title: String
        public var rows: [Row]
        public var total: Amounts
    }

    public var federation: String
    public var federationName: String
    public var year: Int
    public var to: CalendarDate
    public var revenue: Section
    public var costs: Section
    public var administration: Section
    public var totalRevenue: Amounts
    public var totalCosts: Amounts
    public var result: Amounts
}

extension IncomeStatement {
    /// The statement as CSV: a row per line and the three totals, the four columns in plain decimal form.
    public var csv: CSVTable {
        func plain(_ a: Amounts) -> [String] { [a.previousYear, a.budget, a.actual, a.forecast].map(\.description) }
        var rows: [[String]] = []
        for section in [revenue, costs, administration] {
            rows += section.rows.map { [section.title, $0.label] + plain($0.amounts) }
        }
        rows.append(["", "Summa intäkter"] + plain(totalRevenue))
        rows.append(["", "Summa kostnader"] + plain(totalCosts))
        rows.append(["", "Årets resultat"] + plain(result))
        return CSVTable(["section", "row", "previous_year", "budget", "actual", "forecast"], rows)
    }
}

public struct IncomeStatementReport: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// The statement of `year` with actuals through `to` (default 31 December).
    public func make(for federation: String, year: Int, to: CalendarDate? = nil, by user: User) async throws -> IncomeStatement {
        let end = to ?? CalendarDate.lastDay(ofYear: year)
        guard end.year == year else { throw ServiceError(.invalid, "slutdatumet \(end) ligger inte i år \(year)", code: "report.date-outside-year",
            arguments: ["date": end.description, "year": String(year)]) }
        return try await database.read(user, .reportRead, in: federation) { c in
            try await IncomeStatementReport.make(c, federation: try await FederationStore.federation(c, federation), year: year, end: end)
        }
    }

    /// The statement within the caller's transaction (also what an import's preview shows before it rolls back).
    static func make(_ c: isolated Connection, federation found: Federation, year: Int, end: CalendarDate) async throws -> IncomeStatement {
        let rows = try await c.query(IncomeStatementReport.sql, [
            found.id, PostgresDate(CalendarDate.firstDay(ofYear: year - 1)),
            PostgresDate(CalendarDate.lastDay(ofYear: year - 1)), PostgresDate(CalendarDate.firstDay(ofYear: year)),
            PostgresDate(end), year,
        ])
        var amounts: [String: IncomeStatement.Amounts] = [:]
        for row in rows.rows {
            let key = try row.decode(String.self, "row_key")
            let value = Money(öre: try row.decode(Int64.self, "amount"))
            switch try row.decode(String.self, "col") {
            case "previous": try amounts[key, default: .init()].previousYear += value
            case "budget": try amounts[key, default: .init()].budget += value
            case "forecast": try amounts[key, default: .init()].forecast += value
            default: try amounts[key, default: .init()].actual += value
            }
        }
        let members = try await MemberStore.members(c, federationID: found.id)
        // Every intervention active in either year, and any other that has an amount in the statement.
        let interventions = try await c.query(
            """
            SELECT intervention_id, code, name FROM intervention WHERE federation_id = $1
              AND ((active_from <= $3 AND (active_to IS NULL OR active_to >= $2)) OR intervention_id = ANY($4))
            ORDER BY array_position(ARRAY['individual', 'structural', 'reserve', 'administration'], category::text), code
            """,
            [found.id, PostgresDate(CalendarDate.firstDay(ofYear: year - 1)), PostgresDate(CalendarDate.lastDay(ofYear: year)),
             amounts.keys.compactMap { $0.hasPrefix("intervention:") ? Int64($0.dropFirst("intervention:".count)) : nil }])
        let contributionAccounts = try await c.query(
            "SELECT account_number, name FROM account WHERE federation_id = $1 AND member_kind IS NOT NULL ORDER BY 1",
            [found.id])

        func take(_ key: String) -> IncomeStatement.Amounts { amounts.removeValue(forKey: key) ?? .init() }

        var revenueRows: [IncomeStatement.Row] = []
        for member in members {
            let value = take("member:\(member.id)")
            // Arbetsförmedlingen pays its share through Försäkringskassan: show it only when booked.
            if member.kind == .af && value.isZero { continue }
            revenueRows.append(.init(kind: "member", code: member.code, label: member.name, amounts: value))
        }
        for row in contributionAccounts.rows {
            let number = try row.decode(Int.self, "account_number")
            let value = take("account:\(number)")
            if !value.isZero {
                revenueRows.append(.init(kind: "contribution-account", code: String(number),
                    label: "\(try row.decode(String.self, "name")) (ej fördelat på medlem)", amounts: value))
            }
        }
        revenueRows.append(.init(kind: "other-revenue", code: nil, label: "Övriga intäkter", amounts: take("other-revenue")))
        revenueRows.append(.init(kind: "interest", code: nil, label: "Ränta", amounts: take("interest")))
        // Class 9 only holds balances in books brought over from another program (schema/003): shown net,
        // credit positive like revenue, so that the year's result agrees with that program's.
        let internalAccounts = take("internal")
        if !internalAccounts.isZero {
            revenueRows.append(.init(kind: "internal", code: nil, label: "Interna konton, netto (klass 9)", amounts: internalAccounts))
        }

        var costRows: [IncomeStatement.Row] = []
        for row in interventions.rows {
            let id = try row.decode(Int64.self, "intervention_id")
            costRows.append(.init(kind: "intervention", code: try row.decode(String.self, "code"),
                label: try row.decode(String.self, "name"), amounts: take("intervention:\(id)")))
        }
        let administrationRows = AdministrationLine.allCases.map { line in
            IncomeStatement.Row(kind: "administration", code: line.rawValue, label: line.swedishName,
                amounts: take("administration:\(line.rawValue)"))
        }
        let reserve = take("reserve")
        if !reserve.isZero {
            costRows.append(.init(kind: "reserve", code: nil, label: CostCategory.reserve.swedishName, amounts: reserve))
        }
        let otherCosts = take("other-cost")
        if !otherCosts.isZero {
            costRows.append(.init(kind: "other-cost", code: nil, label: "Övriga kostnader", amounts: otherCosts))
        }
        // Every key the query can produce has a row above; an amount left over would be missing from the
        // sums, so the statement is refused rather than printed wrong.
        guard amounts.isEmpty else {
            throw ServiceError(.unavailable, "resultaträkningen kunde inte placera \(amounts.keys.sorted().joined(separator: ", "))")
        }

        func total(_ rows: [IncomeStatement.Row]) throws -> IncomeStatement.Amounts { try rows.reduce(.init()) { try $0 + $1.amounts } }
        let revenue = IncomeStatement.Section(title: "Intäkter", rows: revenueRows, total: try total(revenueRows))
        let costs = IncomeStatement.Section(title: "Kostnader", rows: costRows, total: try total(costRows))
        let administration = IncomeStatement.Section(
            title: "Administration", rows: administrationRows, total: try total(administrationRows))
        let totalCosts = try costs.total + administration.total
        return IncomeStatement(
            federation: found.code, federationName: found.name, year: year, to: end, revenue: revenue,
            costs: costs, administration: administration, totalRevenue: revenue.total, totalCosts: totalCosts,
            result: try revenue.total - totalCosts)
    }

    /// Every amount of the four columns, classified into its row of the statement and turned into the natural
    /// sign (revenue and interest income positive, costs positive). Budget amounts are stored in that sign. A line
    /// (or budget) that names no member or intervention counts for its account's, where the account is one
    /// member's or one intervention's (schema/017).
    static let sql = """
        WITH sums AS (
            SELECT 'previous' AS col, s.account_number, s.intervention_id, s.member_id, s.amount_ore AS ledger
            FROM finsam_ledger_sums($1, $2, $3) s WHERE finsam_account_group(s.account_number) >= 3000
            UNION ALL
            SELECT 'actual', s.account_number, s.intervention_id, s.member_id, s.amount_ore
            FROM finsam_ledger_sums($1, $4, $5) s WHERE finsam_account_group(s.account_number) >= 3000
        ), signed AS (
            SELECT col, account_number, intervention_id, member_id,
                   CASE WHEN finsam_account_group(account_number) BETWEEN 4000 AND 7999 THEN ledger ELSE -ledger END AS amount
            FROM sums
            UNION ALL
            SELECT kind::text, account_number, intervention_id, member_id, amount_ore
            FROM budget_line WHERE federation_id = $1 AND fiscal_year = $6
              AND (account_number IS NULL OR finsam_account_group(account_number) >= 3000)
        )
        SELECT n.col,
               CASE
                   WHEN finsam_account_group(n.account_number) BETWEEN 3000 AND 3999
                       AND coalesce(n.member_id, a.member_id) IS NOT NULL THEN 'member:' || coalesce(n.member_id, a.member_id)
                   WHEN finsam_account_group(n.account_number) BETWEEN 3000 AND 3999 AND a.member_kind IS NOT NULL
                       THEN 'account:' || n.account_number
                   WHEN finsam_account_group(n.account_number) BETWEEN 3000 AND 3999 THEN 'other-revenue'
                   WHEN finsam_account_group(n.account_number) >= 9000 THEN 'internal'
                   WHEN finsam_account_group(n.account_number) >= 8000 THEN 'interest'
                   WHEN coalesce(n.intervention_id, a.intervention_id) IS NOT NULL
                       THEN 'intervention:' || coalesce(n.intervention_id, a.intervention_id)
                   WHEN a.administration_line IS NOT NULL THEN 'administration:' || a.administration_line
                   WHEN a.cost_category = 'reserve' THEN 'reserve'
                   ELSE 'other-cost'
               END AS row_key,
               sum(n.amount)::int8 AS amount
        FROM signed n
        LEFT JOIN account a ON a.federation_id = $1 AND a.account_number = n.account_number
        GROUP BY 1, 2
        """
}
