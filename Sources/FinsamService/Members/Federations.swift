import FinsamCore
import Postgres

/// Samordningsförbund: the legal bodies whose books are kept here.
public struct Federation: Sendable, Codable, Equatable {
    public var id: Int64
    public var code: String
    public var name: String
    public var orgnr: String
    public var seatMunicipality: String?
}

public struct Federations: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Creates a federation with the built-in chart of accounts (ChartTemplate), in one transaction.
    public func create(
        code: String, name: String, orgnr: String, seatMunicipality: String?, by user: User
    ) async throws -> Federation {
        try PlainText.require(name, "namnet", limit: PlainText.nameLimit)
        try PlainText.require(seatMunicipality, "sätet", limit: PlainText.nameLimit)
        return try await database.write(user, .federationCreate) { c in
            try await FederationStore.createFederation(c, code: code, name: name, orgnr: orgnr, seatMunicipality: seatMunicipality)
        }
    }

    public func list(by user: User) async throws -> [Federation] {
        try await database.read(user, .federationRead) { c in
            try await c.query("SELECT \(Federation.columns) FROM federation ORDER BY code").rows.map(Federation.init(row:))
        }
    }

    public func find(_ code: String, by user: User) async throws -> Federation {
        try await database.read(user, .federationRead, in: code) { c in try await FederationStore.federation(c, code) }
    }
}

extension Federation {
    static let columns = "federation_id, code, name, orgnr, seat_municipality"

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(Int64.self, "federation_id"), code: try row.decode(String.self, "code"),
            name: try row.decode(String.self, "name"), orgnr: try row.decode(String.self, "orgnr"),
            seatMunicipality: try row.decode(String?.self, "seat_municipality"))
    }
}

/// The SQL of federations: resolving a code (within what the transaction may see) and creating one with its chart.
enum FederationStore {
    /// The federation named by its short code, if this transaction may see it.
    static func federation(_ c: isolated Connection, _ code: String) async throws -> Federation {
        let result = try await c.query("SELECT \(Federation.columns) FROM federation WHERE code = $1", [code])
        guard let row = result.first else { throw ServiceError(.notFound, "förbundet \"\(code)\" finns inte", code: "federation.not-found",
            arguments: ["federation": code]) }
        return try Federation(row: row)
    }

    /// The id of the federation named by its short code, if this transaction may see it: as the transaction's grant
    /// named it (`remember`), or looked up.
    static func federationID(_ c: isolated Connection, _ code: String) async throws -> Int64 {
        if let granted = c.transactionValues[grantedKey(code)] as? Int64 { return granted }
        return try await federation(c, code).id
    }

    /// Notes a federation's id as the transaction's grant named it: within the scope, so `federationID` need not ask.
    static func remember(_ c: isolated Connection, _ code: String, id: Int64) {
        c.transactionValues[grantedKey(code)] = id
    }

    private static func grantedKey(_ code: String) -> String { "granted federation " + code }
}

extension FederationStore {
    /// Inserts a federation and its template chart of accounts, within the caller's transaction.
    static func createFederation(_ c: isolated Connection, code: String, name: String, orgnr: String, seatMunicipality: String?) async throws -> Federation {
        guard let number = OrganisationNumber(orgnr) else {
            throw ServiceError.invalid("organisationsnumret \(orgnr) är ogiltigt (NNNNNN-NNNN med rätt kontrollsiffra)")
        }
        let row = try await c.query(
            """
            INSERT INTO federation (code, name, orgnr, seat_municipality) VALUES ($1, $2, $3, $4)
            RETURNING federation_id
            """, [code, name, number.description, seatMunicipality]
        ).scalar(Int64.self)
        let accounts = ChartTemplate.accounts
        try await c.query(
            """
            INSERT INTO account (federation_id, account_number, name, member_kind, cost_category, administration_line)
            SELECT $1, number, name, kind::member_kind, category::cost_category, line::administration_line
            FROM unnest($2::int8[], $3::text[], $4::text[], $5::text[], $6::text[])
                AS t (number, name, kind, category, line)
            """,
            [row, accounts.map { Int64($0.number) }, accounts.map(\.name),
             accounts.map { $0.memberKind?.rawValue }, accounts.map { $0.costCategory?.rawValue },
             accounts.map { $0.administrationLine?.rawValue }])
        try await c.query(
            """
            INSERT INTO posting_account (federation_id, purpose, account_number, updated_by)
            SELECT $1, purpose::posting_purpose, account, $4 FROM unnest($2::text[], $3::int4[]) AS t (purpose, account)
            """,
            [row, PostingPurpose.allCases.map(\.rawValue), PostingPurpose.allCases.map { Int32($0.templateAccount) }, "template"])
        return Federation(id: row, code: code, name: name, orgnr: number.description, seatMunicipality: seatMunicipality)
    }
}
