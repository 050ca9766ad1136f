public import FinsamCore
import Postgres

/// Per intervention funded by decisions (fte-rate or fixed) and year: the budget, what the board has decided (committed), what is approved (and paid),
/// what is paid, and what remains of the budget, so that nobody approves beyond it without seeing it.
public struct CommitmentsReport: Sendable, Codable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        public var intervention: String
        public var name: String
        public var funding: FundingModel?
        public var budget: Money
        /// The decided amounts of the year's two half-years (fte-rate and fixed interventions).
        public var decided: Money
        /// Approved or paid disbursements.
        public var approved: Money
        public var paid: Money
        /// Budget less decided: what the board can still commit.
        public var remaining: Money
    }

    public var federation: String
    public var year: Int
    public var lines: [Line]
    public var total: Line
}

extension DecisionReports {
    public func commitments(in federation: String, year: Int, by user: User) async throws -> CommitmentsReport {
        try await database.read(user, .reportRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            let decided = try await FundingDecisionStore.fundingDecisions(c, federationID: federationID, year: year).decidedKronor
            let lines = try await CommitmentStore.interventionSpending(c, federationID: federationID, year: year).map { spent in
                let committed = Money(kronor: decided.filter { $0.key.intervention == spent.intervention }.values.reduce(0, +))
                return CommitmentsReport.Line(
                    intervention: spent.intervention, name: spent.name, funding: spent.funding, budget: spent.budget,
                    decided: committed, approved: spent.approved, paid: spent.paid, remaining: try spent.budget - committed)
            }
            let total = try lines.reduce(CommitmentsReport.Line(
                intervention: "", name: "Summa", funding: nil, budget: .zero, decided: .zero, approved: .zero, paid: .zero,
                remaining: .zero)) { sum, line in
                var next = sum
                try next.budget += line.budget
                try next.decided += line.decided
                try next.approved += line.approved
                try next.paid += line.paid
                try next.remaining += line.remaining
                return next
            }
            return CommitmentsReport(federation: federation, year: year, lines: lines, total: total)
        }
    }
}

/// One decision-funded intervention's budget for a year and what of its disbursements is approved (or paid) and paid.
struct InterventionSpending {
    var intervention: String
    var name: String
    var funding: FundingModel
    var budget: Money
    var approved: Money
    var paid: Money
}

/// The SQL of what each intervention has spent, for the commitments report and the budget check.
enum CommitmentStore {
    /// The decision-funded interventions' budgets and approved and paid disbursements for a year (one, or all):
    /// what the commitments report shows and what an approval is checked against.
    static func interventionSpending(_ c: isolated Connection, federationID: Int64, year: Int, intervention: String? = nil) async throws -> [InterventionSpending] {
        try await c.query(
            """
            SELECT i.code, i.name, i.funding_model::text AS funding,
                   (SELECT coalesce(sum(b.amount_ore), 0)::int8 FROM budget_line b WHERE b.federation_id = i.federation_id
                    AND b.kind = 'budget' AND b.fiscal_year = $2
                    AND coalesce(b.intervention_id, (SELECT a.intervention_id FROM account a WHERE a.federation_id = b.federation_id
                                                     AND a.account_number = b.account_number)) = i.intervention_id) AS budget,
                   (SELECT coalesce(sum(d.amount_ore), 0)::int8 FROM disbursement d WHERE d.federation_id = i.federation_id
                    AND d.intervention_id = i.intervention_id AND d.year = $2 AND d.state IN ('approved', 'paid')) AS approved,
                   (SELECT coalesce(sum(d.amount_ore), 0)::int8 FROM disbursement d WHERE d.federation_id = i.federation_id
                    AND d.intervention_id = i.intervention_id AND d.year = $2 AND d.state = 'paid') AS paid
            FROM intervention i
            WHERE i.federation_id = $1 AND i.funding_model IS NOT NULL AND ($3::text IS NULL OR i.code = $3)
            ORDER BY i.code
            """, [federationID, year, intervention]
        ).rows.map { row in
            InterventionSpending(
                intervention: try row.decode(String.self, "code"), name: try row.decode(String.self, "name"),
                funding: try FundingModel.stored(try row.decode(String.self, "funding")),
                budget: Money(öre: try row.decode(Int64.self, "budget")), approved: Money(öre: try row.decode(Int64.self, "approved")),
                paid: Money(öre: try row.decode(Int64.self, "paid")))
        }
    }
}
