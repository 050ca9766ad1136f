public import FinsamCore
import Postgres

/// A year's member contributions: the total, the parties' shares and each member's amount with its basis.
public struct ContributionPlan: Sendable, Codable, Equatable {
    public struct Share: Sendable, Codable, Equatable {
        public var member: String
        public var memberName: String
        public var kind: MemberKind
        /// `state` (Försäkringskassan pays the state's whole share), `population` or `key`.
        public var basis: String
        /// The population, or the agreed share in hundredths of a percent; nil for the state.
        public var weight: Int64?
        public var referenceDate: CalendarDate?
        public var source: String?
        public var amount: Money
        /// The member's part of the total in hundredths of a percent, rounded so that the parts add to 100 %.
        public var percentOfTotal: Int64
        /// The months of the year it pays for: 1…12 unless a municipality joined or left during the year.
        public var firstMonth: Int = 1
        public var lastMonth: Int = 12

        public var months: ClosedRange<Int> { firstMonth...lastMonth }
    }

    public var federation: String
    public var federationName: String
    public var year: Int
    public var total: Money
    public var partyShares: ContributionSplit.PartyShares
    public var regionBasis: String
    public var municipalityBasis: String
    public var referenceDate: CalendarDate?
    public var decidedBy: String
    /// False for a preview: nothing was written.
    public var saved: Bool
    public var shares: [Share]
}

/// What the economy office decides for a year.
public struct ContributionPlanRequest: Sendable {
    public var year: Int
    /// Whole kronor.
    public var totalKronor: Int64
    /// The date the population figures must be from; by default the one date all of the year's figures share.
    public var referenceDate: CalendarDate?
    public var partyShares: ContributionSplit.PartyShares
    /// A key agreed in the charter: municipality code → share in hundredths of a percent. Nil: by population.
    public var municipalityKey: [String: Int64]?
    /// Two regions' agreed shares: region code → hundredths of a percent. Nil: equal parts.
    public var regionKey: [String: Int64]?

    public init(
        year: Int, totalKronor: Int64, referenceDate: CalendarDate? = nil, partyShares: ContributionSplit.PartyShares = .law,
        municipalityKey: [String: Int64]? = nil, regionKey: [String: Int64]? = nil
    ) {
        self.year = year
        self.totalKronor = totalKronor
        self.referenceDate = referenceDate
        self.partyShares = partyShares
        self.municipalityKey = municipalityKey
        self.regionKey = regionKey
    }
}

public struct ContributionPlans: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Works out the year's split and, unless `preview`, saves it (replacing an earlier plan for the year), in
    /// one transaction. Refused with the member and year named: shares that do not sum to 100 %, a
    /// municipality without a population figure for the year (or one from another reference date), a key that
    /// leaves out a member or names one that is not there.
    public func plan(
        _ request: ContributionPlanRequest, for federation: String, preview: Bool = false, by user: User
    ) async throws -> ContributionPlan {
        try await database.write(user, .contributionPlan, in: federation) { c in
            try await ContributionPlanStore.contributionPlan(c, request, federation: federation, preview: preview, decidedBy: user.name)
        }
    }

    /// The saved plan of a year.
    public func show(for federation: String, year: Int, by user: User) async throws -> ContributionPlan {
        try await database.read(user, .reportRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            guard let head = try await c.query(
                """
                SELECT total_ore, state_share, region_share, municipality_share, region_basis::text,
                       municipality_basis::text, reference_date, decided_by
                FROM contribution_plan WHERE federation_id = $1 AND fiscal_year = $2
                """, [found.id, year]
            ).first else {
                throw ServiceError(.notFound, "\(found.code) har ingen plan för medlemsbidragen \(year)", code: "contribution-plan.missing",
                    arguments: ["federation": found.code, "year": String(year)])
            }
            let total = try head.decode(Int64.self, "total_ore")
            let rows = try await c.query(
                """
                SELECT m.code, m.name, m.kind::text, s.party::text, s.weight, s.population_reference_date,
                       s.population_source, s.amount_ore, s.first_month, s.last_month
                FROM contribution_share s JOIN member m USING (federation_id, member_id)
                WHERE s.federation_id = $1 AND s.fiscal_year = $2
                ORDER BY array_position(ARRAY['municipality', 'region', 'fk', 'af'], m.kind::text), m.code
                """, [found.id, year]
            ).rows
            let amounts = try rows.map { try $0.decode(Int64.self, "amount_ore") }
            let percents = Allocation.largestRemainder(10_000, weights: amounts) ?? amounts.map { _ in 0 }
            let regionBasis = try head.decode(String.self, "region_basis")
            let shares = try zip(rows, percents).map { row, percent -> ContributionPlan.Share in
                let kind = try MemberKind.stored(row.decode(String.self, "kind"))
                let party = try row.decode(String.self, "party")
                let populationDate = try row.decode(PostgresDate?.self, "population_reference_date")?.calendarDate()
                let basis = party == "state" ? "state"
                    : party == "region" ? (regionBasis == "key" ? "key" : "equal")
                    : (populationDate == nil ? "key" : "population")
                return ContributionPlan.Share(
                    member: try row.decode(String.self, "code"), memberName: try row.decode(String.self, "name"), kind: kind,
                    basis: basis, weight: party == "state" || basis == "equal" ? nil : try row.decode(Int64.self, "weight"),
                    referenceDate: populationDate, source: try row.decode(String?.self, "population_source"),
                    amount: Money(öre: try row.decode(Int64.self, "amount_ore")), percentOfTotal: percent,
                    firstMonth: try row.decode(Int.self, "first_month"), lastMonth: try row.decode(Int.self, "last_month"))
            }
            return ContributionPlan(
                federation: found.code, federationName: found.name, year: year, total: Money(öre: total),
                partyShares: .init(
                    state: try head.decode(Int.self, "state_share"), regions: try head.decode(Int.self, "region_share"),
                    municipalities: try head.decode(Int.self, "municipality_share")),
                regionBasis: regionBasis, municipalityBasis: try head.decode(String.self, "municipality_basis"),
                referenceDate: try head.decode(PostgresDate?.self, "reference_date")?.calendarDate(),
                decidedBy: try head.decode(String.self, "decided_by"), saved: true, shares: shares)
        }
    }

    /// A key must name exactly the members of its party.
    static func keyed(_ key: [String: Int64], over members: [Member], party: String) throws -> [ContributionSplit.Participant] {
        let codes = Set(members.map(\.code))
        if let unknown = key.keys.sorted().first(where: { !codes.contains($0) }) {
            throw ServiceError.invalid("fördelningsnyckeln för \(party) nämner \(unknown), som inte är en av dem")
        }
        if let missing = members.first(where: { key[$0.code] == nil }) {
            throw ServiceError.invalid("fördelningsnyckeln för \(party) saknar \(missing.name) (\(missing.code))")
        }
        return members.map { .init(member: $0.code, weight: key[$0.code]!) }
    }
}

/// The SQL of a year's contribution plan and its shares.
enum ContributionPlanStore {
    /// Replaces the year's plan with `plan`, within the caller's transaction.
    static func save(_ c: isolated Connection, _ plan: ContributionPlan, federationID: Int64, members: [String: Member]) async throws {
        try await c.query("DELETE FROM contribution_plan WHERE federation_id = $1 AND fiscal_year = $2", [federationID, plan.year])
        try await c.query(
            """
            INSERT INTO contribution_plan (federation_id, fiscal_year, total_ore, state_share, region_share,
                municipality_share, region_basis, municipality_basis, reference_date, decided_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7::contribution_basis, $8::contribution_basis, $9, $10)
            """,
            [federationID, plan.year, plan.total.öre, plan.partyShares.state, plan.partyShares.regions,
             plan.partyShares.municipalities, plan.regionBasis == "key" ? "key" : "population", plan.municipalityBasis,
             plan.referenceDate.map(PostgresDate.init), plan.decidedBy])
        try await c.query(
            """
            INSERT INTO contribution_share (federation_id, fiscal_year, member_id, party, weight,
                population_reference_date, population_source, amount_ore, first_month, last_month)
            SELECT $1, $2, member_id, party::contribution_party, weight, reference_date::date, source, amount, first_month, last_month
            FROM unnest($3::int8[], $4::text[], $5::int8[], $6::text[], $7::text[], $8::int8[], $9::int8[], $10::int8[])
                AS t (member_id, party, weight, reference_date, source, amount, first_month, last_month)
            """,
            [federationID, plan.year, plan.shares.map { members[$0.member]!.id },
             plan.shares.map { $0.kind == .fk || $0.kind == .af ? "state" : $0.kind == .region ? "region" : "municipality" },
             plan.shares.map { $0.weight ?? 0 }, plan.shares.map { $0.referenceDate?.description },
             plan.shares.map(\.source), plan.shares.map(\.amount.öre), plan.shares.map { Int64($0.firstMonth) },
             plan.shares.map { Int64($0.lastMonth) }])
    }
}

extension ContributionPlanStore {
    /// Works out (and unless `preview` saves) a year's plan within the caller's transaction.
    static func contributionPlan(_ c: isolated Connection,
        _ request: ContributionPlanRequest, federation: String, preview: Bool, decidedBy: String
    ) async throws -> ContributionPlan {
        guard (2004...2200).contains(request.year) else { throw ServiceError.invalid("året \(request.year) ligger utanför 2004–2200") }
        guard request.totalKronor > 0, request.totalKronor <= Money.limit.öre / 100 else {
            throw ServiceError.invalid("totalbeloppet \(SwedishNumberFormat.integer(request.totalKronor)) kr ska vara större än 0 och "
                + "högst \(SwedishNumberFormat.integer(Money.limit.öre / 100)) kr")
        }
        let found = try await FederationStore.federation(c, federation)
        let members = try await MemberStore.members(c, federationID: found.id)
        let state = members.first { $0.kind == .fk }
        let regions = members.filter { $0.kind == .region }
        // Municipalities that are members some month of the year (one that joins or leaves pays for its months).
        let municipalities = members.filter { $0.kind == .municipality && $0.months(of: request.year) != nil }

        var regionParticipants: [ContributionSplit.Participant] = regions.map { .init(member: $0.code, weight: 1) }
        if let key = request.regionKey {
            regionParticipants = try ContributionPlans.keyed(key, over: regions, party: "regionerna")
        }
        var municipalityParticipants: [ContributionSplit.Participant] = []
        var figures: [String: (population: Int64, date: CalendarDate, source: String)] = [:]
        var referenceDate: CalendarDate?
        if let key = request.municipalityKey {
            municipalityParticipants = try ContributionPlans.keyed(key, over: municipalities, party: "kommunerna")
        } else {
            for row in try await c.query(
                """
                SELECT m.code, p.population, p.reference_date, p.source FROM member_population p
                JOIN member m USING (federation_id, member_id)
                WHERE p.federation_id = $1 AND p.year = $2
                """, [found.id, request.year]
            ).rows {
                figures[try row.decode(String.self, "code")] = (
                    try row.decode(Int64.self, "population"),
                    try row.decode(PostgresDate.self, "reference_date").calendarDate(),
                    try row.decode(String.self, "source"))
            }
            for municipality in municipalities {
                guard let figure = figures[municipality.code] else {
                    throw ServiceError(.invalid, "\(municipality.name) (\(municipality.code)) saknar folkmängd för \(request.year)",
                        code: "population.missing", arguments: ["member": municipality.code, "year": String(request.year)])
                }
                if let wanted = request.referenceDate, figure.date != wanted {
                    throw ServiceError.invalid(
                        "folkmängden för \(municipality.name) \(request.year) gäller \(figure.date), inte referensdatumet \(wanted)")
                }
                if let earlier = referenceDate, earlier != figure.date {
                    throw ServiceError(.invalid,
                        "folkmängderna för \(request.year) har olika referensdatum (\(earlier) och \(figure.date) för \(municipality.name)); ange ett gemensamt referensdatum och rätta den som avviker",
                        code: "population.reference-dates-differ", arguments: ["year": String(request.year)])
                }
                referenceDate = figure.date
                municipalityParticipants.append(.init(member: municipality.code, weight: figure.population))
            }
            if municipalities.isEmpty { referenceDate = request.referenceDate }
        }

        var parts: [ContributionSplit.Part]
        var months: [String: ClosedRange<Int>] = [:]
        do {
            parts = try ContributionSplit.split(
                total: request.totalKronor, shares: request.partyShares, state: state?.code,
                regions: regionParticipants, regionsKeyed: request.regionKey != nil,
                municipalities: municipalityParticipants, municipalitiesKeyed: request.municipalityKey != nil)
            // The municipalities' part month by month, among those who are members each month.
            for municipality in municipalities { months[municipality.code] = municipality.months(of: request.year) }
            if !municipalityParticipants.isEmpty {
                let codes = Set(municipalityParticipants.map(\.member))
                let pot = parts.filter { codes.contains($0.member) }.reduce(Int64(0)) { $0 + $1.kronor }
                let weights = try ContributionSplit.monthlyWeights(
                    municipalityParticipants.map { .init(member: $0.member, weight: $0.weight, months: months[$0.member] ?? 1...12) },
                    party: "kommunerna")
                let byMonth = Dictionary(uniqueKeysWithValues: zip(weights.members, weights.split(pot)))
                parts = parts.map { part in byMonth[part.member].map { ContributionSplit.Part(member: part.member, kronor: $0) } ?? part }
            }
        } catch {
            throw ServiceError.invalid("\(found.code) \(request.year): \(error)")
        }
        let percents = Allocation.largestRemainder(10_000, weights: parts.map(\.kronor)) ?? parts.map { _ in 0 }
        let byCode = Dictionary(uniqueKeysWithValues: members.map { ($0.code, $0) })
        let regionBasis = request.regionKey == nil ? "population" : "key"
        let municipalityBasis = request.municipalityKey == nil ? "population" : "key"
        let shares = zip(parts, percents).map { part, percent -> ContributionPlan.Share in
            let member = byCode[part.member]!
            let basis: String
            var weight: Int64?
            switch member.kind {
            case .fk, .af: basis = "state"
            case .region:
                basis = request.regionKey == nil ? "equal" : "key"
                weight = request.regionKey?[member.code]
            case .municipality:
                basis = municipalityBasis
                weight = request.municipalityKey?[member.code] ?? figures[member.code]?.population
            }
            return ContributionPlan.Share(
                member: member.code, memberName: member.name, kind: member.kind, basis: basis, weight: weight,
                referenceDate: basis == "population" ? figures[member.code]?.date : nil,
                source: basis == "population" ? figures[member.code]?.source : nil,
                amount: Money(kronor: part.kronor), percentOfTotal: percent,
                firstMonth: months[member.code]?.lowerBound ?? 1, lastMonth: months[member.code]?.upperBound ?? 12)
        }
        // Report order, as `show` lists them: municipalities, the region, the state.
        let ordered = shares.sorted { ($0.kind.reportOrder, $0.member) < ($1.kind.reportOrder, $1.member) }
        let plan = ContributionPlan(
            federation: found.code, federationName: found.name, year: request.year,
            total: Money(kronor: request.totalKronor), partyShares: request.partyShares, regionBasis: regionBasis,
            municipalityBasis: municipalityBasis, referenceDate: municipalityBasis == "population" ? referenceDate : nil,
            decidedBy: decidedBy, saved: !preview, shares: ordered)
        if !preview { try await ContributionPlanStore.save(c, plan, federationID: found.id, members: byCode) }
        return plan
    }
}
