public import FinsamCore
import Postgres

/// The table the board publishes per intervention and half-year: per municipality the funded FTE, the head count
/// and the amount, and the totals (DOMAIN.md, Reports: Decision tables).
public struct DecisionTable: Sendable, Codable, Equatable {
    public struct Column: Sendable, Codable, Equatable {
        public var member: String
        public var name: String
        /// fte-rate: the extent of the decision standing for the half-year's last funded month, and its head count.
        public var fte: FTE?
        public var heads: Int?
        /// fixed: the decided sum per half-year.
        public var sum: Money?
        /// Month by month, rounded once: what is paid for the half-year.
        public var amountKronor: Int64
    }

    public var intervention: String
    public var interventionName: String
    public var model: FundingModel
    public var halfYear: HalfYear
    public var columns: [Column]
    public var totalFTE: FTE?
    public var totalHeads: Int?
    public var totalSum: Money?
    public var totalKronor: Int64
}

public struct DecisionReports: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func table(in federation: String, intervention: String, halfYear: HalfYear, by user: User) async throws -> DecisionTable {
        try await database.read(user, .reportRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            let funded = try await FundingDecisionStore.fundedIntervention(c, intervention, federationID: federationID)
            let decisions = try await FundingDecisionStore.fundingDecisions(c,
                federationID: federationID, interventionID: funded.id, year: halfYear.year, half: halfYear.half)
            let amounts = decisions.decidedKronor
            var columns: [DecisionTable.Column] = []
            // Municipalities in the order of their names, as the minutes list them.
            for decision in decisions.sorted(by: { $0.memberName < $1.memberName })
            where !columns.contains(where: { $0.member == decision.member }) {
                let own = decisions.filter { $0.member == decision.member }
                let latest = own.filter { !$0.standsFor.isEmpty }.max { ($0.standsFor.max()!, $0.id) < ($1.standsFor.max()!, $1.id) }
                    ?? own.last!
                columns.append(DecisionTable.Column(
                    member: decision.member, name: decision.memberName, fte: latest.fte, heads: latest.heads,
                    sum: funded.model == .fixed ? latest.rate : nil,
                    amountKronor: amounts[FundingKey(intervention: intervention, member: decision.member, halfYear: halfYear)] ?? 0))
            }
            let fteRate = funded.model == .fteRate
            return DecisionTable(
                intervention: intervention, interventionName: funded.name, model: funded.model, halfYear: halfYear, columns: columns,
                totalFTE: fteRate ? columns.reduce(FTE.zero) { $0 + ($1.fte ?? .zero) } : nil,
                totalHeads: fteRate ? columns.reduce(0) { $0 + ($1.heads ?? 0) } : nil,
                totalSum: fteRate ? nil : try columns.sum { $0.sum ?? .zero },
                totalKronor: columns.reduce(0) { $0 + $1.amountKronor })
        }
    }
}
