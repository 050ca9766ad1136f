public import FinsamCore
import Postgres

/// Budget or helårsprognos (full-year forecast): one amount per year and account and/or intervention (and,
/// for contribution revenue, member), in the report's natural sign: revenue and costs both positive.
public struct BudgetLine: Sendable, Codable, Equatable {
    public var kind: Kind
    public var year: Int
    public var account: Int?
    public var intervention: String?
    public var member: String?
    public var amount: Money

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case budget, forecast

        public var swedishName: String { self == .budget ? "Budget" : "Helårsprognos" }
    }

    public init(kind: Kind, year: Int, account: Int?, intervention: String? = nil, member: String? = nil, amount: Money) {
        self.kind = kind
        self.year = year
        self.account = account
        self.intervention = intervention
        self.member = member
        self.amount = amount
    }
}

public struct Budgets: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Sets one budget or forecast amount (replacing an earlier amount for the same year and target).
    public func set(_ line: BudgetLine, in federation: String, by user: User) async throws -> BudgetLine {
        try await set([line], in: federation, by: user)
        return line
    }

    /// Sets several amounts in one transaction.
    public func set(_ lines: [BudgetLine], in federation: String, by user: User) async throws {
        try await database.write(user, .budgetSet, in: federation) { c in
            try await BudgetStore.setBudgetLines(c, lines, federationID: try await FederationStore.federationID(c, federation), by: user.name)
        }
    }

    public func list(kind: BudgetLine.Kind, year: Int, in federation: String, by user: User) async throws -> [BudgetLine] {
        try await database.read(user, .reportRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            return try await c.query(
                """
                SELECT b.account_number, i.code AS intervention, m.code AS member, b.amount_ore
                FROM budget_line b
                LEFT JOIN intervention i ON i.federation_id = b.federation_id AND i.intervention_id = b.intervention_id
                LEFT JOIN member m ON m.federation_id = b.federation_id AND m.member_id = b.member_id
                WHERE b.federation_id = $1 AND b.kind = $2::budget_kind AND b.fiscal_year = $3
                ORDER BY b.account_number NULLS LAST, i.code, m.code
                """, [federationID, kind.rawValue, year]
            ).rows.map { row in
                BudgetLine(
                    kind: kind, year: year, account: try row.decode(Int?.self, "account_number"),
                    intervention: try row.decode(String?.self, "intervention"), member: try row.decode(String?.self, "member"),
                    amount: Money(öre: try row.decode(Int64.self, "amount_ore")))
            }
        }
    }
}

/// The SQL of budget and forecast lines.
enum BudgetStore {
    /// Sets budget or forecast amounts within the caller's transaction.
    static func setBudgetLines(_ c: isolated Connection, _ lines: [BudgetLine], federationID: Int64, by userName: String) async throws {
        for line in lines where line.account == nil && line.intervention == nil {
            throw ServiceError.invalid("ange konto eller insats för \(line.kind.swedishName.lowercased())en")
        }
        let interventionIDs = try await CodeStore.interventionIDs(c, Set(lines.compactMap(\.intervention)), federationID: federationID)
        let memberIDs = try await CodeStore.memberIDs(c, Set(lines.compactMap(\.member)), federationID: federationID)
        let accounts = try await CodeStore.accountsWithMeaning(c, Set(lines.compactMap(\.account)), federationID: federationID)
        for line in lines {
            if let code = line.intervention, interventionIDs[code] == nil {
                throw ServiceError.notFound("insatsen \"\(code)\" finns inte i förbundet")
            }
            if let code = line.member, memberIDs[code] == nil {
                throw ServiceError.notFound("medlemmen \"\(code)\" finns inte i förbundet")
            }
            if let account = line.account, accounts[account] == nil {
                throw ServiceError.notFound("konto \(account) finns inte i förbundets kontoplan")
            }
            try await c.query(
                """
                INSERT INTO budget_line (federation_id, kind, fiscal_year, account_number, intervention_id, member_id,
                                         amount_ore, updated_by)
                VALUES ($1, $2::budget_kind, $3, $4, $5, $6, $7, $8)
                ON CONFLICT ON CONSTRAINT budget_line_key DO UPDATE
                    SET amount_ore = excluded.amount_ore, updated_by = excluded.updated_by, updated_at = now()
                """,
                [federationID, line.kind.rawValue, line.year, line.account.map(Int64.init),
                 line.intervention.flatMap { interventionIDs[$0] }, line.member.flatMap { memberIDs[$0] },
                 line.amount.öre, userName])
        }
    }
}
