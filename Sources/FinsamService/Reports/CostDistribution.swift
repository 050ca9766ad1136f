public import FinsamCore
import Postgres

/// Kostnadsfördelning: the period's costs by cost category, with shares in tenths of a percent that add up
/// to exactly 100,0 % (largest remainder, DOMAIN.md).
public struct CostDistribution: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public var category: CostCategory
        public var label: String
        public var amount: Money
        /// Tenths of a percent: 742 is 74,2 %.
        public var shareTenthsOfPercent: Int64
    }

    public var federation: String
    public var from: CalendarDate
    public var to: CalendarDate
    public var rows: [Row]
    public var total: Money
}

public struct CostDistributionReport: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func make(for federation: String, from: CalendarDate, to: CalendarDate, by user: User) async throws -> CostDistribution {
        guard from <= to else { throw ServiceError.invalid("perioden slutar (\(to)) före start (\(from))") }
        return try await database.read(user, .reportRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            let result = try await c.query(
                """
                SELECT coalesce(i.category, a.cost_category)::text AS category, sum(s.amount_ore)::int8 AS amount
                FROM finsam_ledger_sums($1, $2, $3) s
                JOIN account a ON a.federation_id = $1 AND a.account_number = s.account_number
                LEFT JOIN intervention i ON i.federation_id = $1
                    AND i.intervention_id = coalesce(s.intervention_id, a.intervention_id)
                WHERE finsam_account_group(s.account_number) BETWEEN 4000 AND 7999
                GROUP BY 1
                """, [found.id, PostgresDate(from), PostgresDate(to)])
            var amounts: [CostCategory: Money] = [:]
            for row in result.rows {
                // The line trigger (schema/002) lets no cost line in without a category, so none is missing here.
                let text = try row.decode(String?.self, "category")
                guard let category = text.flatMap(CostCategory.init(rawValue:)) else {
                    throw ServiceError(.unavailable, "kostnader utan kostnadskategori i bokföringen (\(text ?? "saknas"))")
                }
                try amounts[category, default: .zero] += Money(öre: try row.decode(Int64.self, "amount"))
            }
            let categories = CostCategory.allCases
            let values = categories.map { amounts[$0] ?? .zero }
            let total = try values.sum()
            // Shares of positive amounts only: a category with net negative costs (a reversal larger than the
            // costs) gets no share rather than a negative one.
            let shares = Allocation.largestRemainder(1000, weights: values.map { max($0.öre, 0) })
                ?? values.map { _ in 0 }
            let rows = categories.indices.map { index in
                CostDistribution.Row(category: categories[index], label: categories[index].swedishName,
                    amount: values[index], shareTenthsOfPercent: shares[index])
            }
            return CostDistribution(federation: found.code, from: from, to: to, rows: rows, total: total)
        }
    }
}
