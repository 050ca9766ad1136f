public import FinsamCore
import Postgres

/// A new board decision as the economy office records it.
public struct FundingDecisionRequest: Sendable, Equatable {
    public var intervention: String
    public var member: String
    public var halfYear: HalfYear
    /// The months it covers; nil: the whole half-year.
    public var from: YearMonth?
    public var to: YearMonth?
    /// fte-rate: funded FTE, head count (nil: the FTE rounded up) and rate per FTE and half-year (whole kronor).
    public var fte: FTE?
    public var heads: Int?
    public var rate: Money?
    /// fixed: the sum per half-year (whole kronor).
    public var amount: Money?
    public var reference: BoardReference

    public init(
        intervention: String, member: String, halfYear: HalfYear, from: YearMonth? = nil, to: YearMonth? = nil,
        fte: FTE? = nil, heads: Int? = nil, rate: Money? = nil, amount: Money? = nil, reference: BoardReference
    ) {
        self.intervention = intervention
        self.member = member
        self.halfYear = halfYear
        self.from = from
        self.to = to
        self.fte = fte
        self.heads = heads
        self.rate = rate
        self.amount = amount
        self.reference = reference
    }
}

/// A change for a range of months of the decision that stands for them.
public struct FundingAdjustmentRequest: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        /// Another funded FTE (fte-rate only).
        case fte(FTE)
        /// A percentage (at most two decimals, as an FTE: 40 % is 0.40): of one full-time post (fte-rate) or of
        /// the fixed sum.
        case percent(FTE)
        /// Nothing paid.
        case vacant
    }

    public var intervention: String
    public var member: String
    public var halfYear: HalfYear
    public var from: YearMonth
    public var to: YearMonth
    public var change: Change

    public init(intervention: String, member: String, halfYear: HalfYear, from: YearMonth, to: YearMonth, change: Change) {
        self.intervention = intervention
        self.member = member
        self.halfYear = halfYear
        self.from = from
        self.to = to
        self.change = change
    }
}

public struct FundingDecisions: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }


    /// Records a board decision. Refused, with nothing written, when the intervention is funded another way (or
    /// not by decisions), the member is not a municipality of the federation, the figures are out of range, the
    /// months lie outside the half-year, or another decision of the same meeting covers one of its months.
    public func add(_ request: FundingDecisionRequest, in federation: String, by user: User) async throws -> FundingStatement {
        try await database.write(user, .decisionChange, in: federation) { c in try await FundingDecisionStore.recordFundingDecision(c, request, in: federation, by: user) }
    }

    /// Records a change for some months of the decision that stands for them: another FTE, a percentage, vacant.
    public func adjust(_ request: FundingAdjustmentRequest, in federation: String, by user: User) async throws -> FundingStatement {
        try await database.write(user, .decisionChange, in: federation) { c in try await FundingDecisionStore.adjustFundingDecision(c, request, in: federation, by: user) }
    }

    /// The decisions of a year (or half-year), optionally of one intervention and member, with their history.
    public func list(
        in federation: String, year: Int, half: Int? = nil, intervention: String? = nil, member: String? = nil, by user: User
    ) async throws -> [FundingDecision] {
        try await database.read(user, .reportRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            var interventionID: Int64?
            if let intervention { interventionID = try await FundingDecisionStore.fundedIntervention(c, intervention, federationID: federationID).id }
            var memberID: Int64?
            if let member { memberID = try await MemberStore.member(c, member, federationID: federationID).id }
            return try await FundingDecisionStore.fundingDecisions(c,
                federationID: federationID, interventionID: interventionID, year: year, half: half, memberID: memberID)
        }
    }

    /// One member's decisions for an intervention and half-year, and the amount month by month.
    public func statement(
        in federation: String, intervention: String, member: String, halfYear: HalfYear, by user: User
    ) async throws -> FundingStatement {
        try await database.read(user, .reportRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            let found = try await FundingDecisionStore.fundedIntervention(c, intervention, federationID: federationID)
            return try await FundingDecisionStore.fundingStatement(c,
                intervention: intervention, interventionID: found.id,
                member: try await MemberStore.member(c, member, federationID: federationID), halfYear: halfYear, federationID: federationID)
        }
    }

    static func months(_ from: YearMonth?, _ to: YearMonth?, of halfYear: HalfYear) throws -> ClosedRange<Int> {
        for month in [from, to].compactMap({ $0 }) where month.year != halfYear.year || !halfYear.months.contains(month.month) {
            throw ServiceError.invalid("månaden \(month) ligger utanför halvåret \(halfYear)")
        }
        let first = from?.month ?? halfYear.months.lowerBound, last = to?.month ?? halfYear.months.upperBound
        guard first <= last else { throw ServiceError.invalid("från-månaden \(from!) ligger efter till-månaden \(to!)") }
        return first...last
    }

    static func check(fte: FTE, what: String) throws {
        guard fte <= FTE.maximum else {
            throw ServiceError.invalid("\(what) \(fte.swedish) är orimlig: högst \(FTE.maximum.swedish) tjänster per beslut")
        }
    }

    static func check(kronor: Money, what: String) throws {
        guard kronor.öre > 0 else { throw ServiceError.invalid("\(what) måste vara större än 0 kr") }
        guard kronor.öre % 100 == 0 else { throw ServiceError.invalid("\(what) ska vara hela kronor (beslut fattas i hela kronor)") }
        guard kronor.öre <= 100_000_000_000 else { throw ServiceError.invalid("\(what) är orimligt stort (högst 1 000 000 000 kr)") }
    }
}

extension FundingDecisionStore {
    struct FundedIntervention {
        var id: Int64
        var code: String
        var name: String
        var model: FundingModel
    }

    /// An intervention that is funded by decisions (fte-rate or fixed).
    static func fundedIntervention(_ c: isolated Connection, _ code: String, federationID: Int64) async throws -> FundedIntervention {
        guard let row = try await c.query(
            "SELECT intervention_id, name, funding_model::text AS model FROM intervention WHERE federation_id = $1 AND code = $2",
            [federationID, code]
        ).first else { throw ServiceError(.notFound, "insatsen \"\(code)\" finns inte i förbundet", code: "intervention.not-found",
            arguments: ["intervention": code]) }
        guard let model = try row.decode(String?.self, "model") else {
            throw ServiceError(.invalid,
                "insatsen \(code) finansieras inte genom beslut per kommun (finansieringsformen anges när insatsen läggs till)",
                code: "intervention.not-funded-by-decisions", arguments: ["intervention": code])
        }
        return FundedIntervention(
            id: try row.decode(Int64.self, "intervention_id"), code: code, name: try row.decode(String.self, "name"),
            model: try FundingModel.stored(model))
    }

    /// A member that decisions may fund: a municipality of this federation.
    static func decisionMember(_ c: isolated Connection, _ code: String, federationID: Int64, federation: String) async throws -> Member {
        guard let member = try await MemberStore.findMember(c, code, federationID: federationID) else {
            throw ServiceError.notFound("\"\(code)\" är inte medlem i \(federation)")
        }
        guard member.kind == .municipality else {
            throw ServiceError.invalid("\(member.name) är inte en kommun; beslut om insatser per kommun gäller kommunerna i \(federation)")
        }
        return member
    }

    static func fundingStatement(_ c: isolated Connection,
        intervention: String, interventionID: Int64, member: Member, halfYear: HalfYear, federationID: Int64
    ) async throws -> FundingStatement {
        let decisions = try await FundingDecisionStore.fundingDecisions(c,
            federationID: federationID, interventionID: interventionID, year: halfYear.year, half: halfYear.half,
            memberID: member.id)
        let months = FundingCalculation.months(decisions.map(\.terms))
        return FundingStatement(
            intervention: intervention, member: member.code, memberName: member.name, halfYear: halfYear, decisions: decisions,
            months: months.map {
                FundingStatement.Month(month: $0.month, decision: $0.decisionID, extent: $0.extent, amount: $0.amount)
            },
            amountKronor: FundingCalculation.amountKronor(months))
    }

    static func recordFundingDecision(_ c: isolated Connection, _ request: FundingDecisionRequest, in federation: String, by user: User) async throws -> FundingStatement {
        let months = try FundingDecisions.months(request.from, request.to, of: request.halfYear)
        let model: FundingModel = request.amount != nil ? .fixed : .fteRate
        switch model {
        case .fteRate:
            guard let fte = request.fte, let rate = request.rate else {
                throw ServiceError(.invalid, "ett beslut om tjänst × schablon anger omfattning och schablon (ett fast belopp anges som belopp)",
                    code: "decision.fte-rate-missing", arguments: ["field": request.fte == nil ? "fte" : "rate"])
            }
            try FundingDecisions.check(fte: fte, what: "den finansierade omfattningen")
            guard fte.tenThousandths > 0 else { throw ServiceError(.invalid, "omfattningen måste vara större än 0 (en vakans är en justering av beslutet)",
                code: "decision.fte-zero") }
            try FundingDecisions.check(kronor: rate, what: "schablonen per tjänst och halvår")
            if let heads = request.heads, !(0...200).contains(heads) {
                throw ServiceError.invalid("antalet personer \(heads) ska vara 0–200")
            }
        case .fixed:
            guard request.fte == nil, request.rate == nil, request.heads == nil, let amount = request.amount else {
                throw ServiceError(.invalid, "ett fast belopp anges med enbart beloppet, utan omfattning, antal personer och schablon",
                    code: "decision.fixed-with-fte", arguments: ["field": "amount"])
            }
            try FundingDecisions.check(kronor: amount, what: "beloppet per halvår")
        }
        let federationID = try await FederationStore.federationID(c, federation)
        try await UserStore.requireRight(c, user, .decisionChange, federationID: federationID, federation: federation)
        let intervention = try await FundingDecisionStore.fundedIntervention(c, request.intervention, federationID: federationID)
        guard intervention.model == model else {
            throw ServiceError(.invalid,
                "insatsen \(request.intervention) finansieras med \(intervention.model.swedishName); "
                    + (intervention.model == .fixed ? "ange beloppet" : "ange omfattning och schablon"),
                code: "decision.wrong-model", arguments: ["intervention": request.intervention, "model": intervention.model.rawValue])
        }
        let member = try await FundingDecisionStore.decisionMember(c, request.member, federationID: federationID, federation: federation)
        let clash = try await c.query(
            """
            SELECT decision_id, first_month, last_month FROM funding_decision
            WHERE federation_id = $1 AND intervention_id = $2 AND member_id = $3 AND year = $4 AND half = $5
              AND meeting_date = $6 AND first_month <= $8 AND $7 <= last_month
            """,
            [federationID, intervention.id, member.id, request.halfYear.year, request.halfYear.half,
             PostgresDate(request.reference.meetingDate), months.lowerBound, months.upperBound])
        if let row = clash.first {
            throw ServiceError.conflict(
                "beslut \(try row.decode(Int64.self, "decision_id")) från samma möte (\(request.reference.meetingDate)) gäller redan "
                    + "\(SwedishMonth.range(try row.decode(Int.self, "first_month")...(try row.decode(Int.self, "last_month")))) "
                    + "\(request.halfYear) för \(member.name); två beslut kan inte gälla samma månad")
        }
        let fte = request.fte
        let heads = request.heads ?? fte.map { Int(($0.tenThousandths + FTE.scale - 1) / FTE.scale) }
        try await c.query(
            """
            INSERT INTO funding_decision (federation_id, intervention_id, member_id, year, half, first_month, last_month,
                model, fte, head_count, rate_ore, meeting_date, paragraph, recorded_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::funding_model, $9::int8::numeric / 10000, $10, $11, $12, $13, $14)
            """,
            [federationID, intervention.id, member.id, request.halfYear.year, request.halfYear.half, months.lowerBound,
             months.upperBound, model.stored, fte?.tenThousandths, heads, (request.rate ?? request.amount)!.öre,
             PostgresDate(request.reference.meetingDate), request.reference.paragraph, user.name])
        return try await FundingDecisionStore.fundingStatement(c,
            intervention: request.intervention, interventionID: intervention.id, member: member,
            halfYear: request.halfYear, federationID: federationID)
    }

    static func adjustFundingDecision(_ c: isolated Connection, _ request: FundingAdjustmentRequest, in federation: String, by user: User) async throws -> FundingStatement {
        let months = try FundingDecisions.months(request.from, request.to, of: request.halfYear)
        switch request.change {
        case .fte(let fte): try FundingDecisions.check(fte: fte, what: "omfattningen")
        case .percent(let share):
            guard share.tenThousandths <= FTE.scale else { throw ServiceError.invalid("procentsatsen får vara högst 100 %") }
        case .vacant: break
        }
        let federationID = try await FederationStore.federationID(c, federation)
        try await UserStore.requireRight(c, user, .decisionChange, federationID: federationID, federation: federation)
        let intervention = try await FundingDecisionStore.fundedIntervention(c, request.intervention, federationID: federationID)
        let member = try await FundingDecisionStore.decisionMember(c, request.member, federationID: federationID, federation: federation)
        let decisions = try await FundingDecisionStore.fundingDecisions(c,
            federationID: federationID, interventionID: intervention.id, year: request.halfYear.year,
            half: request.halfYear.half, memberID: member.id)
        let standing = Set(months.map { month in decisions.first { $0.standsFor.contains(month) }?.id })
        guard standing.count == 1, let decisionID = standing.first!, let decision = decisions.first(where: { $0.id == decisionID })
        else {
            if standing.contains(nil) {
                throw ServiceError.invalid(
                    "inget beslut gäller \(SwedishMonth.range(months)) \(request.halfYear) för \(member.name) i \(request.intervention)")
            }
            throw ServiceError.invalid(
                "\(SwedishMonth.range(months)) hör till olika beslut; justera månaderna för varje beslut för sig")
        }
        if let other = decision.adjustments.first(where: { $0.from <= months.upperBound && months.lowerBound <= $0.to }) {
            throw ServiceError.conflict(
                "beslut \(decision.id) har redan en justering för \(SwedishMonth.range(other.from...other.to)) "
                    + "som överlappar \(SwedishMonth.range(months))")
        }
        let (givenAs, fte, percent): (String, Int64?, Int64?) = switch (request.change, decision.model) {
        case (.fte, .fixed):
            throw ServiceError(.invalid, "ett fast belopp justeras med en procentsats av beloppet eller som vakans, inte med omfattning",
                code: "adjustment.fte-on-fixed")
        case (.fte(let value), .fteRate): ("fte", value.tenThousandths, nil)
        case (.percent(let share), .fteRate): ("percent", share.tenThousandths, nil)
        case (.percent(let share), .fixed): ("percent", nil, share.tenThousandths)
        case (.vacant, .fteRate): ("vacant", 0, nil)
        case (.vacant, .fixed): ("vacant", nil, 0)
        }
        try await c.query(
            """
            INSERT INTO funding_adjustment (federation_id, decision_id, adjustment_number, first_month, last_month, given_as,
                fte, percent, recorded_by)
            VALUES ($1, $2, $3, $4, $5, $6::funding_adjustment_kind, $7::int8::numeric / 10000, $8::int8::numeric / 100, $9)
            """,
            [federationID, decision.id, decision.adjustments.count + 1, months.lowerBound, months.upperBound, givenAs,
             fte, percent, user.name])
        return try await FundingDecisionStore.fundingStatement(c,
            intervention: request.intervention, interventionID: intervention.id, member: member,
            halfYear: request.halfYear, federationID: federationID)
    }
}
