public import FinsamCore
import Postgres

/// A board decision to fund an intervention at a municipality for (months of) a half-year, with the changes
/// made to it since, and the months it still stands for (a later meeting's decision may have superseded it).
public struct FundingDecision: Sendable, Codable, Equatable {
    public struct Adjustment: Sendable, Codable, Equatable {
        public enum GivenAs: String, Sendable, Codable { case fte, percent, vacant }

        public var number: Int
        public var from: Int
        public var to: Int
        public var givenAs: GivenAs
        /// fte-rate: the funded FTE in these months; fixed: the share of the sum (1.00 = all of it).
        public var extent: FTE

        /// `mars–april: 0,50 tjänst (50 %)`, as the board wrote it.
        public func swedish(model: FundingModel) -> String {
            let months = from == to ? SwedishMonth.name(from) : "\(SwedishMonth.name(from))–\(SwedishMonth.name(to))"
            let percent = SwedishNumberFormat.percent(basisPoints: extent.tenThousandths)
            let what = switch (givenAs, model) {
            case (.vacant, _): "vakant"
            case (_, .fixed): "\(percent) av beloppet"
            case (.percent, .fteRate): "\(percent) av en heltid (\(extent.swedish) tjänst)"
            case (.fte, .fteRate): "\(extent.swedish) tjänst"
            }
            return "\(months): \(what)"
        }
    }

    public var id: Int64
    public var intervention: String
    public var member: String
    public var memberName: String
    public var halfYear: HalfYear
    /// The first and last month it covers (normally the half-year's six).
    public var from: Int
    public var to: Int
    public var model: FundingModel
    /// fte-rate: the funded FTE and how many people share it.
    public var fte: FTE?
    public var heads: Int?
    /// fte-rate: the rate per FTE and half-year; fixed: the sum per half-year. Whole kronor.
    public var rate: Money
    public var reference: BoardReference
    public var recordedBy: String
    public var adjustments: [Adjustment]
    /// The months this decision stands for: all it covers, less those a later meeting's decision took over.
    public var standsFor: [Int]

    var terms: FundingTerms {
        FundingTerms(
            decisionID: id, meetingDate: reference.meetingDate, months: from...to,
            extent: fte ?? FTE(tenThousandths: FTE.scale), rateKronor: rate.öre / 100,
            adjustments: adjustments.map { .init(months: $0.from...$0.to, extent: $0.extent) })
    }

    /// What the board decided, in a few words: `0,75 tjänst (1 person) à 232 500 kr` or `150 000 kr per halvår`.
    public var swedishTerms: String {
        switch model {
        case .fteRate:
            let people = heads == 1 ? "1 person" : "\(heads ?? 0) personer"
            return "\(fte?.swedish ?? "?") tjänst (\(people)) à \(SwedishNumberFormat.kronor(rate, wholeKronor: true)) kr"
        case .fixed:
            return "\(SwedishNumberFormat.kronor(rate, wholeKronor: true)) kr per halvår"
        }
    }
}

/// The decided amount of one member, intervention and half-year, month by month.
public struct FundingStatement: Sendable, Codable, Equatable {
    public struct Month: Sendable, Codable, Equatable {
        public var month: Int
        public var decision: Int64
        public var extent: FTE
        /// `extent × rate / 6`, to the öre (the half-year's sum is rounded once, not these).
        public var amount: Money
    }

    public var intervention: String
    public var member: String
    public var memberName: String
    public var halfYear: HalfYear
    public var decisions: [FundingDecision]
    public var months: [Month]
    public var amountKronor: Int64
}

extension FundingModel {
    /// The enum funding_model of the database.
    var stored: String { self == .fteRate ? "fte_rate" : "fixed" }

    static func stored(_ text: String) throws -> FundingModel {
        switch text {
        case "fte_rate": return .fteRate
        case "fixed": return .fixed
        default: throw ServiceError(.unavailable, "okänd finansieringsform \"\(text)\" i databasen")
        }
    }
}

/// The SQL of the board's funding decisions and their adjustments, and of the statements made from them.
enum FundingDecisionStore {
    /// The decisions (with adjustments) of a federation for a year, optionally one intervention, half and member,
    /// each with the months it stands for. Two queries, whatever the number of decisions.
    static func fundingDecisions(_ c: isolated Connection,
        federationID: Int64, interventionID: Int64? = nil, year: Int, half: Int? = nil, memberID: Int64? = nil
    ) async throws -> [FundingDecision] {
        var decisions = try await c.query(
            """
            SELECT d.decision_id, i.code AS intervention, m.code AS member, m.name AS member_name, d.year, d.half,
                   d.first_month, d.last_month, d.model::text AS model, (d.fte * 10000)::int8 AS fte_units, d.head_count,
                   d.rate_ore, d.meeting_date, d.paragraph, d.recorded_by
            FROM funding_decision d
            JOIN intervention i ON i.federation_id = d.federation_id AND i.intervention_id = d.intervention_id
            JOIN member m ON m.federation_id = d.federation_id AND m.member_id = d.member_id
            WHERE d.federation_id = $1 AND d.year = $2 AND ($3::int8 IS NULL OR d.intervention_id = $3)
              AND ($4::int4 IS NULL OR d.half = $4) AND ($5::int8 IS NULL OR d.member_id = $5)
            ORDER BY i.code, d.half, m.name, d.meeting_date, d.decision_id
            """, [federationID, year, interventionID, half, memberID]
        ).rows.map { row in
            FundingDecision(
                id: try row.decode(Int64.self, "decision_id"), intervention: try row.decode(String.self, "intervention"),
                member: try row.decode(String.self, "member"), memberName: try row.decode(String.self, "member_name"),
                halfYear: HalfYear(year: try row.decode(Int.self, "year"), half: try row.decode(Int.self, "half"))!,
                from: try row.decode(Int.self, "first_month"), to: try row.decode(Int.self, "last_month"),
                model: try FundingModel.stored(try row.decode(String.self, "model")),
                fte: try row.decode(Int64?.self, "fte_units").map(FTE.init(tenThousandths:)),
                heads: try row.decode(Int?.self, "head_count"), rate: Money(öre: try row.decode(Int64.self, "rate_ore")),
                reference: BoardReference(
                    meetingDate: try row.decode(PostgresDate.self, "meeting_date").calendarDate(),
                    paragraph: try row.decode(String.self, "paragraph")),
                recordedBy: try row.decode(String.self, "recorded_by"), adjustments: [], standsFor: [])
        }
        guard !decisions.isEmpty else { return [] }
        var adjustments: [Int64: [FundingDecision.Adjustment]] = [:]
        for row in try await c.query(
            """
            SELECT decision_id, adjustment_number, first_month, last_month, given_as::text AS given_as,
                   (coalesce(fte, percent / 100) * 10000)::int8 AS extent_units
            FROM funding_adjustment WHERE federation_id = $1 AND decision_id = ANY($2)
            ORDER BY decision_id, first_month
            """, [federationID, decisions.map(\.id)]
        ).rows {
            adjustments[try row.decode(Int64.self, "decision_id"), default: []].append(FundingDecision.Adjustment(
                number: try row.decode(Int.self, "adjustment_number"), from: try row.decode(Int.self, "first_month"),
                to: try row.decode(Int.self, "last_month"),
                givenAs: try .stored(rawValue: try row.decode(String.self, "given_as")),
                extent: FTE(tenThousandths: try row.decode(Int64.self, "extent_units"))))
        }
        for index in decisions.indices { decisions[index].adjustments = adjustments[decisions[index].id] ?? [] }
        // The months each decision stands for, among the decisions of its intervention, member and half-year.
        let groups = Dictionary(grouping: decisions.indices) { FundingKey(decisions[$0]) }
        for indices in groups.values {
            let standing = FundingCalculation.months(indices.map { decisions[$0].terms })
            for index in indices {
                decisions[index].standsFor = standing.filter { $0.decisionID == decisions[index].id }.map(\.month)
            }
        }
        return decisions
    }
}

/// The decisions that together decide one amount: one intervention, member and half-year.
struct FundingKey: Hashable {
    var intervention: String
    var member: String
    var halfYear: HalfYear

    init(_ decision: FundingDecision) {
        intervention = decision.intervention
        member = decision.member
        halfYear = decision.halfYear
    }

    init(intervention: String, member: String, halfYear: HalfYear) {
        self.intervention = intervention
        self.member = member
        self.halfYear = halfYear
    }
}

extension Array where Element == FundingDecision {
    /// The decided amount per intervention, member and half-year (DOMAIN.md: month by month, rounded once).
    var decidedKronor: [FundingKey: Int64] {
        Dictionary(grouping: self, by: FundingKey.init).mapValues { FundingCalculation.amountKronor($0.map(\.terms)) }
    }
}
