public import FinsamCore
import Postgres

/// Konto: one account of a federation's chart.
public struct Account: Sendable, Codable, Equatable {
    public var number: Int
    public var name: String
    public var memberKind: MemberKind?
    public var costCategory: CostCategory?
    public var administrationLine: AdministrationLine?
    public var active: Bool
    /// The member whose contributions the account carries (an imported chart's "Medlemsbidrag Aneby kommun"), by code.
    public var member: String?
    /// The intervention whose costs the account carries, by code.
    public var intervention: String?

    public init(
        number: Int, name: String, memberKind: MemberKind? = nil, costCategory: CostCategory? = nil,
        administrationLine: AdministrationLine? = nil, active: Bool = true
    ) {
        self.number = number
        self.name = name
        self.memberKind = memberKind
        self.costCategory = costCategory
        self.administrationLine = administrationLine
        self.active = active
    }
}

public struct Accounts: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func list(of federation: String, by user: User) async throws -> [Account] {
        try await database.read(user, .federationRead, in: federation) { c in try await AccountStore.accounts(c, federationID: try await FederationStore.federationID(c, federation)) }
    }

    public func add(_ account: Account, to federation: String, by user: User) async throws -> Account {
        guard AccountClass(accountNumber: account.number) != nil else {
            throw ServiceError.invalid("kontonumret \(account.number) ligger utanför kontoplanen (\(AccountNumber.rule))")
        }
        if account.administrationLine != nil && account.costCategory != .administration {
            throw ServiceError.invalid("en administrationsrad kräver kategorin administration")
        }
        try PlainText.require(account.name, "kontots namn", limit: PlainText.nameLimit)
        return try await database.write(user, .chartChange, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            try await c.query(
                """
                INSERT INTO account (federation_id, account_number, name, member_kind, cost_category, administration_line, active)
                VALUES ($1, $2, $3, $4::member_kind, $5::cost_category, $6::administration_line, $7)
                """,
                [federationID, account.number, account.name, account.memberKind?.rawValue,
                 account.costCategory?.rawValue, account.administrationLine?.rawValue, account.active])
            return account
        }
    }
}

/// The SQL of the chart of accounts, with each account's member or intervention.
enum AccountStore {
    /// The federation's chart, in the chart's order (143010 after 1430), each account with its member or
    /// intervention by code.
    static func accounts(_ c: isolated Connection, federationID: Int64) async throws -> [Account] {
        try await c.query(
            """
            SELECT a.account_number, a.name, a.member_kind::text, a.cost_category::text, a.administration_line::text,
                   a.active, m.code AS member, i.code AS intervention
            FROM account a
            LEFT JOIN member m ON m.federation_id = a.federation_id AND m.member_id = a.member_id
            LEFT JOIN intervention i ON i.federation_id = a.federation_id AND i.intervention_id = a.intervention_id
            WHERE a.federation_id = $1 ORDER BY a.account_number::text
            """, [federationID]
        ).rows.map(Account.init(row:))
    }
}

extension Account {
    init(row: PostgresRow) throws {
        self.init(
            number: try row.decode(Int.self, "account_number"), name: try row.decode(String.self, "name"),
            memberKind: try row.decode(String?.self, "member_kind").flatMap(MemberKind.init(rawValue:)),
            costCategory: try row.decode(String?.self, "cost_category").flatMap(CostCategory.init(rawValue:)),
            administrationLine: try row.decode(String?.self, "administration_line").flatMap(AdministrationLine.init(rawValue:)),
            active: try row.decode(Bool.self, "active"))
        member = try row.decode(String?.self, "member")
        intervention = try row.decode(String?.self, "intervention")
    }
}
