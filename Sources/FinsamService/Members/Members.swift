public import FinsamCore
import Postgres

/// Medlem: Försäkringskassan, Arbetsförmedlingen, a region or a municipality, with what invoicing needs.
public struct Member: Sendable, Codable, Equatable {
    public var id: Int64
    public var code: String
    public var kind: MemberKind
    public var name: String
    public var orgnr: String
    public var peppolId: String?
    public var invoiceAddress: String?
    public var buyerReference: String?
}

public struct MemberDetails: Sendable, Equatable {
    public var code: String
    public var kind: MemberKind
    public var name: String
    public var orgnr: String
    public var peppolId: String?
    public var invoiceAddress: String?
    public var buyerReference: String?

    public init(
        code: String, kind: MemberKind, name: String, orgnr: String, peppolId: String? = nil,
        invoiceAddress: String? = nil, buyerReference: String? = nil
    ) {
        self.code = code
        self.kind = kind
        self.name = name
        self.orgnr = orgnr
        self.peppolId = peppolId
        self.invoiceAddress = invoiceAddress
        self.buyerReference = buyerReference
    }
}

public struct Members: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func add(_ details: MemberDetails, to federation: String, by user: User) async throws -> Member {
        try await database.write(user) { c in
            try await c.addMember(details, federationID: try await c.federationID(federation))
        }
    }

    /// Members in report order: municipalities, the region, Försäkringskassan, Arbetsförmedlingen.
    public func list(of federation: String, by user: User) async throws -> [Member] {
        try await database.read(user) { c in try await c.members(federationID: try await c.federationID(federation)) }
    }

    public func find(_ code: String, in federation: String, by user: User) async throws -> Member {
        try await database.read(user) { c in
            let federationID = try await c.federationID(federation)
            return try await c.member(code, federationID: federationID)
        }
    }
}

extension MemberKind {
    /// A kind as the database stores it (the enum member_kind).
    static func stored(_ text: String) throws -> MemberKind {
        guard let kind = MemberKind(rawValue: text) else {
            throw ServiceError(.unavailable, "okänt medlemsslag \"\(text)\" i databasen")
        }
        return kind
    }
}

extension Member {
    static let columns = "member_id, code, kind::text AS kind, name, orgnr, peppol_id, invoice_address, buyer_reference"

    init(row: PostgresRow) throws {
        let memberKind = try MemberKind.stored(try row.decode(String.self, "kind"))
        self.init(
            id: try row.decode(Int64.self, "member_id"), code: try row.decode(String.self, "code"),
            kind: memberKind, name: try row.decode(String.self, "name"),
            orgnr: try row.decode(String.self, "orgnr"), peppolId: try row.decode(String?.self, "peppol_id"),
            invoiceAddress: try row.decode(String?.self, "invoice_address"),
            buyerReference: try row.decode(String?.self, "buyer_reference"))
    }
}

extension Connection {
    /// The federation's members in report order (MemberKind.reportOrder, then name).
    func members(federationID: Int64) async throws -> [Member] {
        try await query("SELECT \(Member.columns) FROM member WHERE federation_id = $1", [federationID])
            .rows.map(Member.init(row:))
            .sorted { ($0.kind.reportOrder, $0.name) < ($1.kind.reportOrder, $1.name) }
    }

    func member(_ code: String, federationID: Int64) async throws -> Member {
        let result = try await query(
            "SELECT \(Member.columns) FROM member WHERE federation_id = $1 AND code = $2", [federationID, code])
        guard let row = result.first else { throw ServiceError.notFound("medlemmen \"\(code)\" finns inte i förbundet") }
        return try Member(row: row)
    }
}

extension Connection {
    /// Inserts a member within the caller's transaction; a federation has at most one FK and one AF.
    func addMember(_ details: MemberDetails, federationID: Int64) async throws -> Member {
        guard let orgnr = OrganisationNumber(details.orgnr) else {
            throw ServiceError.invalid("organisationsnumret \(details.orgnr) är ogiltigt (NNNNNN-NNNN med rätt kontrollsiffra)")
        }
        if details.kind == .fk || details.kind == .af {
            let existing = try await query(
                "SELECT count(*) FROM member WHERE federation_id = $1 AND kind = $2::member_kind",
                [federationID, details.kind.rawValue]
            ).scalar(Int64.self)
            guard existing == 0 else {
                throw ServiceError.conflict("förbundet har redan \(details.kind.swedishName) som medlem")
            }
        }
        let id = try await query(
            """
            INSERT INTO member (federation_id, code, kind, name, orgnr, peppol_id, invoice_address, buyer_reference)
            VALUES ($1, $2, $3::member_kind, $4, $5, $6, $7, $8) RETURNING member_id
            """,
            [federationID, details.code, details.kind.rawValue, details.name, orgnr.description, details.peppolId,
             details.invoiceAddress, details.buyerReference]
        ).scalar(Int64.self)
        return Member(
            id: id, code: details.code, kind: details.kind, name: details.name, orgnr: orgnr.description,
            peppolId: details.peppolId, invoiceAddress: details.invoiceAddress, buyerReference: details.buyerReference)
    }
}

extension Members {
    /// Sets how often a member is invoiced its contribution.
    public func setSchedule(_ schedule: InvoiceSchedule, member: String, in federation: String, by user: User) async throws -> Member {
        try await database.write(user) { c in
            let federationID = try await c.federationID(federation)
            let found = try await c.member(member, federationID: federationID)
            try await c.setInvoiceSchedule(schedule, memberID: found.id, federationID: federationID)
            return found
        }
    }
}

extension Connection {
    func setInvoiceSchedule(_ schedule: InvoiceSchedule, memberID: Int64, federationID: Int64) async throws {
        try await query(
            "UPDATE member SET invoice_schedule = $3::invoice_schedule WHERE federation_id = $1 AND member_id = $2",
            [federationID, memberID, schedule.rawValue])
    }
}

/// What `Members.update` changes: nil leaves a field as it is, an empty text clears it.
public struct MemberChanges: Sendable {
    public var peppolId: String?
    public var invoiceAddress: String?
    public var buyerReference: String?

    public init(peppolId: String? = nil, invoiceAddress: String? = nil, buyerReference: String? = nil) {
        self.peppolId = peppolId
        self.invoiceAddress = invoiceAddress
        self.buyerReference = buyerReference
    }
}

extension Members {
    /// Changes how a member is invoiced: its Peppol id, invoice address or buyer reference. Invoices already
    /// issued keep what they were issued with.
    public func update(_ code: String, in federation: String, _ changes: MemberChanges, by user: User) async throws -> Member {
        if let peppol = changes.peppolId, !peppol.isEmpty {
            guard let endpoint = PeppolEndpoint(parsing: peppol),
                endpoint.identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
            else {
                throw ServiceError.invalid("Peppol-id \(peppol) ska skrivas SCHEMA:ID, t.ex. 0007:2120000530")
            }
            if endpoint.scheme == "0007", OrganisationNumber(endpoint.identifier) == nil || endpoint.identifier.count != 10 {
                throw ServiceError.invalid("Peppol-id \(peppol): schema 0007 tar ett organisationsnummer, tio siffror med rätt kontrollsiffra")
            }
        }
        return try await database.write(user) { c in
            let federationID = try await c.federationID(federation)
            let found = try await c.member(code, federationID: federationID)
            func cleared(_ value: String?) -> String? {
                guard let value else { return nil }
                let trimmed = value.trimmingSpaces
                return trimmed.isEmpty ? nil : trimmed
            }
            let peppol = changes.peppolId == nil ? found.peppolId : cleared(changes.peppolId)
            let address = changes.invoiceAddress == nil ? found.invoiceAddress : cleared(changes.invoiceAddress)
            let reference = changes.buyerReference == nil ? found.buyerReference : cleared(changes.buyerReference)
            try await c.query(
                """
                UPDATE member SET peppol_id = $3, invoice_address = $4, buyer_reference = $5
                WHERE federation_id = $1 AND member_id = $2
                """, [federationID, found.id, peppol, address, reference])
            var updated = found
            updated.peppolId = peppol
            updated.invoiceAddress = address
            updated.buyerReference = reference
            return updated
        }
    }
}
