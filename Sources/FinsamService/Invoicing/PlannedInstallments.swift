import FinsamCore
import Postgres

/// One member's part of a year's plan, as an invoice run needs it.
struct PlannedShare {
    var memberID: Int64
    var schedule: InvoiceSchedule
    var kronor: Int64
    /// The months it pays for (a municipality that joined or left: fewer than twelve).
    var months: ClosedRange<Int>
    /// Its place among the municipalities' monthly weights; nil for the state and the regions.
    var municipalIndex: Int?

    /// The month installment `k` is invoiced: its first month, or the month a municipality joined when that is
    /// later in the installment.
    func dueMonth(ofInstallment k: Int, schedule: InvoiceSchedule) -> Int {
        let covered = schedule.months(ofInstallment: k)
        return covered.contains(months.lowerBound) ? months.lowerBound : covered.lowerBound
    }
}

/// A year's plan split into installments: the state and the regions in equal parts, a municipality by its
/// exact months (one that joined in July pays nothing for the first half-year).
struct PlannedInstallments {
    var shares: [PlannedShare]
    var municipalities: ContributionSplit.MonthlyWeights?

    func installments(of share: PlannedShare, schedule: InvoiceSchedule) -> [Int64] {
        if let index = share.municipalIndex, let municipalities {
            return municipalities.installments(of: share.kronor, member: index, schedule: schedule)
        }
        return schedule.split(share.kronor)
    }
}

/// A contribution invoice already issued, with what has been credited on it.
struct IssuedContributionInvoice {
    var id: Int64
    var memberID: Int64
    var year: Int
    var number: Int
    var installment: Int
    var installments: Int
    var totalÖre: Int64
    var creditedÖre: Int64
    /// Credited by settlement credit notes (plan changes), as opposed to corrections of the invoice itself.
    var settlementCreditedÖre: Int64
    var settlement: Bool
    var account: Int
}

extension InvoiceStore {
    static func plannedInstallments(_ c: isolated Connection, federationID: Int64, year: Int) async throws -> PlannedInstallments {
        let rows = try await c.query(
            """
            SELECT s.member_id, m.invoice_schedule::text AS schedule, s.party::text AS party, s.weight, s.amount_ore,
                   s.first_month, s.last_month
            FROM contribution_share s JOIN member m USING (federation_id, member_id)
            WHERE s.federation_id = $1 AND s.fiscal_year = $2
            ORDER BY array_position(ARRAY['municipality', 'region', 'fk', 'af'], m.kind::text), m.code
            """, [federationID, year]).rows
        var shares: [PlannedShare] = []
        var participants: [ContributionSplit.MonthlyParticipant] = []
        for row in rows {
            guard let schedule = InvoiceSchedule(rawValue: try row.decode(String.self, "schedule")) else {
                throw ServiceError(.unavailable, "okänt faktureringsschema i databasen")
            }
            let months = try row.decode(Int.self, "first_month")...(try row.decode(Int.self, "last_month"))
            let memberID = try row.decode(Int64.self, "member_id")
            var index: Int?
            if try row.decode(String.self, "party") == "municipality" {
                index = participants.count
                participants.append(.init(member: String(memberID), weight: try row.decode(Int64.self, "weight"), months: months))
            }
            shares.append(PlannedShare(
                memberID: memberID, schedule: schedule, kronor: try row.decode(Int64.self, "amount_ore") / 100,
                months: months, municipalIndex: index))
        }
        var weights: ContributionSplit.MonthlyWeights?
        if !participants.isEmpty {
            do {
                weights = try ContributionSplit.monthlyWeights(participants, party: "kommunerna")
            } catch {
                throw ServiceError(.invalid, "planen för \(year) går inte att dela per månad: \(error)", code: "contribution-plan.unsplittable",
                    arguments: ["year": String(year)])
            }
        }
        return PlannedInstallments(shares: shares, municipalities: weights)
    }

    /// The invoices of a contribution year (whenever issued), oldest first.
    static func contributionInvoices(_ c: isolated Connection, federationID: Int64, year: Int) async throws -> [IssuedContributionInvoice] {
        try await c.query(
            """
            SELECT i.invoice_id, i.member_id, i.fiscal_year, i.number, i.installment, i.installments, i.total_ore, i.settlement,
                   coalesce(sum(n.amount_ore), 0)::int8 AS credited,
                   coalesce(sum(n.amount_ore) FILTER (WHERE n.settlement), 0)::int8 AS settlement_credited,
                   (SELECT account_number FROM invoice_line l WHERE l.federation_id = i.federation_id
                      AND l.invoice_id = i.invoice_id ORDER BY line_number LIMIT 1) AS account
            FROM invoice i
            LEFT JOIN credit_note n ON n.federation_id = i.federation_id AND n.invoice_id = i.invoice_id
            WHERE i.federation_id = $1 AND i.contribution_year = $2
            GROUP BY i.federation_id, i.invoice_id
            ORDER BY i.fiscal_year, i.number
            """, [federationID, year]
        ).rows.map { row in
            IssuedContributionInvoice(
                id: try row.decode(Int64.self, "invoice_id"), memberID: try row.decode(Int64.self, "member_id"),
                year: try row.decode(Int.self, "fiscal_year"), number: try row.decode(Int.self, "number"),
                installment: try row.decode(Int.self, "installment"), installments: try row.decode(Int.self, "installments"),
                totalÖre: try row.decode(Int64.self, "total_ore"), creditedÖre: try row.decode(Int64.self, "credited"),
                settlementCreditedÖre: try row.decode(Int64.self, "settlement_credited"),
                settlement: try row.decode(Bool.self, "settlement"), account: try row.decode(Int.self, "account"))
        }
    }
}
