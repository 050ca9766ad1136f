import FinsamCore
import Postgres

/// The mapping of an imported chart, as the federation's accounts keep it (schema/017): what an account means is
/// its member, member kind, intervention, administration line or cost category.
extension Connection {
    /// What the federation's chart says each account means, with the names of its members and interventions: what
    /// a proposal starts from.
    func mappingContext(federationID: Int64) async throws -> (
        existing: [Int: ChartMappingProposal.ExistingAccount], members: [ChartMappingProposal.KnownMember],
        interventions: [ChartMappingProposal.KnownIntervention]
    ) {
        var existing: [Int: ChartMappingProposal.ExistingAccount] = [:]
        for row in try await query(
            """
            SELECT a.account_number, a.name, a.member_kind::text AS member_kind, a.cost_category::text AS category,
                   a.administration_line::text AS line, m.code AS member, i.code AS intervention
            FROM account a
            LEFT JOIN member m ON m.federation_id = a.federation_id AND m.member_id = a.member_id
            LEFT JOIN intervention i ON i.federation_id = a.federation_id AND i.intervention_id = a.intervention_id
            WHERE a.federation_id = $1
            """, [federationID]
        ).rows {
            let number = try row.decode(Int.self, "account_number")
            var meaning: AccountMeaning?
            if let member = try row.decode(String?.self, "member") {
                meaning = .member(member)
            } else if let kind = try row.decode(String?.self, "member_kind").flatMap(MemberKind.init(rawValue:)) {
                meaning = .memberKind(kind)
            } else if let intervention = try row.decode(String?.self, "intervention") {
                meaning = .intervention(code: intervention, category: nil, name: nil)
            } else if let line = try row.decode(String?.self, "line").flatMap(AdministrationLine.init(rawValue:)) {
                meaning = .administration(line)
            } else if let category = try row.decode(String?.self, "category").flatMap(CostCategory.init(rawValue:)) {
                meaning = .category(category)
            } else if AccountClass(accountNumber: number) == .revenue {
                meaning = .otherRevenue
            }
            existing[number] = .init(name: try row.decode(String.self, "name"), meaning: meaning)
        }
        let members = try await query("SELECT code, name FROM member WHERE federation_id = $1 ORDER BY code", [federationID])
            .rows.map { ChartMappingProposal.KnownMember(code: try $0.decode(String.self, at: 0), name: try $0.decode(String.self, at: 1)) }
        let interventions = try await query("SELECT code, name FROM intervention WHERE federation_id = $1 ORDER BY code", [federationID])
            .rows.map { ChartMappingProposal.KnownIntervention(code: try $0.decode(String.self, at: 0), name: try $0.decode(String.self, at: 1)) }
        return (existing, members, interventions)
    }

    /// Gives each account its meaning, creating the interventions the mapping names that the federation lacks
    /// (active from `activeFrom`). Returns how many interventions were created.
    func applyMapping(
        _ entries: [ChartMappingEntry], federationID: Int64, activeFrom: CalendarDate, defaultCategory: CostCategory,
        source: String
    ) async throws -> Int {
        var created = 0
        for entry in entries {
            var memberID: Int64?
            var memberKind: MemberKind?
            var interventionID: Int64?
            var category: CostCategory?
            var line: AdministrationLine?
            switch entry.meaning {
            case .member(let code):
                guard let member = try await findMember(code, federationID: federationID) else {
                    throw ServiceError.invalid("\(source): konto \(entry.account) ska vara medlemsbidrag från \(code), men förbundet har ingen medlem \(code)")
                }
                memberID = member.id
            case .memberKind(let kind): memberKind = kind
            case .otherRevenue: break
            case .intervention(let code, let newCategory, let newName):
                if let found = try await query(
                    "SELECT intervention_id FROM intervention WHERE federation_id = $1 AND code = $2", [federationID, code]
                ).first {
                    interventionID = try found.decode(Int64.self, at: 0)
                } else {
                    let intervention = Intervention(code: code, name: newName ?? entry.name, category: newCategory ?? defaultCategory,
                        activeFrom: activeFrom)
                    interventionID = try await insert(intervention, federationID: federationID)
                    created += 1
                }
            case .administration(let administrationLine):
                category = .administration
                line = administrationLine
            case .category(let costCategory):
                category = costCategory
                if costCategory == .administration { line = .other }
            }
            try await query(
                """
                UPDATE account SET member_id = $3, member_kind = $4::member_kind, intervention_id = $5,
                                   cost_category = $6::cost_category, administration_line = $7::administration_line
                WHERE federation_id = $1 AND account_number = $2
                """,
                [federationID, entry.account, memberID, memberKind?.rawValue, interventionID, category?.rawValue, line?.rawValue])
        }
        return created
    }
}
