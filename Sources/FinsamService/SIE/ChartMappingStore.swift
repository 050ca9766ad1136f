import FinsamCore
import Postgres

/// The mapping of an imported chart, as the federation's accounts keep it (schema/017): what an account means is
/// its member, member kind, intervention, administration line or cost category.
enum ChartMappingStore {
    /// What the federation's chart says each account means, with the names of its members and interventions: what
    /// a proposal starts from.
    static func mappingContext(_ c: isolated Connection, federationID: Int64) async throws -> (
        existing: [Int: ChartMappingProposal.ExistingAccount], members: [ChartMappingProposal.KnownMember],
        interventions: [ChartMappingProposal.KnownIntervention]
    ) {
        var existing: [Int: ChartMappingProposal.ExistingAccount] = [:]
        for account in try await AccountStore.accounts(c, federationID: federationID) {
            existing[account.number] = .init(name: account.name, meaning: account.meaning)
        }
        let members = try await c.query("SELECT code, name FROM member WHERE federation_id = $1 ORDER BY code", [federationID])
            .rows.map { ChartMappingProposal.KnownMember(code: try $0.decode(String.self, at: 0), name: try $0.decode(String.self, at: 1)) }
        let interventions = try await c.query("SELECT code, name FROM intervention WHERE federation_id = $1 ORDER BY code", [federationID])
            .rows.map { ChartMappingProposal.KnownIntervention(code: try $0.decode(String.self, at: 0), name: try $0.decode(String.self, at: 1)) }
        return (existing, members, interventions)
    }

    /// Gives each account its meaning, creating the interventions the mapping names that the federation lacks
    /// (active from `activeFrom`): the members and interventions looked up once, the accounts updated in one
    /// statement. Returns how many interventions were created.
    static func applyMapping(_ c: isolated Connection,
        _ entries: [ChartMappingEntry], federationID: Int64, activeFrom: CalendarDate, defaultCategory: CostCategory,
        source: String
    ) async throws -> Int {
        let memberIDs = try await CodeStore.memberIDs(c,
            Set(entries.compactMap { if case .member(let code) = $0.meaning { code } else { nil } }), federationID: federationID)
        var interventionIDs = try await CodeStore.interventionIDs(c,
            Set(entries.compactMap { if case .intervention(let code, _, _) = $0.meaning { code } else { nil } }),
            federationID: federationID)
        var created = 0
        var numbers: [Int32] = [], members: [Int64?] = [], kinds: [String?] = [], interventions: [Int64?] = []
        var categories: [String?] = [], lines: [String?] = []
        for entry in entries {
            var memberID: Int64?
            var memberKind: MemberKind?
            var interventionID: Int64?
            var category: CostCategory?
            var line: AdministrationLine?
            switch entry.meaning {
            case .member(let code):
                guard let id = memberIDs[code] else {
                    throw ServiceError.invalid("\(source): konto \(entry.account) ska vara medlemsbidrag från \(code), men förbundet har ingen medlem \(code)")
                }
                memberID = id
            case .memberKind(let kind): memberKind = kind
            case .otherRevenue: break
            case .intervention(let code, let newCategory, let newName):
                if let id = interventionIDs[code] {
                    interventionID = id
                } else {
                    let id = try await InterventionStore.insert(c,
                        Intervention(code: code, name: newName ?? entry.name, category: newCategory ?? defaultCategory, activeFrom: activeFrom),
                        federationID: federationID)
                    interventionIDs[code] = id
                    interventionID = id
                    created += 1
                }
            case .administration(let administrationLine):
                category = .administration
                line = administrationLine
            case .category(let costCategory):
                category = costCategory
                if costCategory == .administration { line = .other }
            }
            numbers.append(Int32(entry.account))
            members.append(memberID)
            kinds.append(memberKind?.rawValue)
            interventions.append(interventionID)
            categories.append(category?.rawValue)
            lines.append(line?.rawValue)
        }
        try await c.query(
            """
            UPDATE account a SET member_id = t.member, member_kind = t.kind::member_kind, intervention_id = t.intervention,
                                 cost_category = t.category::cost_category, administration_line = t.line::administration_line
            FROM unnest($2::int4[], $3::int8[], $4::text[], $5::int8[], $6::text[], $7::text[])
                AS t (number, member, kind, intervention, category, line)
            WHERE a.federation_id = $1 AND a.account_number = t.number
            """, [federationID, numbers, members, kinds, interventions, categories, lines])
        return created
    }
}

extension Account {
    /// What the account means to the federation, as a mapping says it; nil for a cost account whose lines name their
    /// intervention (the template's 4010 and 4020).
    var meaning: AccountMeaning? {
        if let member { return .member(member) }
        if let memberKind { return .memberKind(memberKind) }
        if let intervention { return .intervention(code: intervention, category: nil, name: nil) }
        if let administrationLine { return .administration(administrationLine) }
        if let costCategory { return .category(costCategory) }
        return AccountClass(accountNumber: number) == .revenue ? .otherRevenue : nil
    }
}
