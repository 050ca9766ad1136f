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
    /// A municipality that joined during a year: the first day of its first month (nil: a member from the start).
    public var memberFrom: CalendarDate? = nil
    /// A municipality that left: the last day of its last month (nil: still a member).
    public var memberUntil: CalendarDate? = nil

    /// The months of `year` it is a member (1…12), or nil when it is not a member at all that year.
    public func months(of year: Int) -> ClosedRange<Int>? {
        if let from = memberFrom, from.year > year { return nil }
        if let until = memberUntil, until.year < year { return nil }
        let first = memberFrom.map { $0.year == year ? $0.month : 1 } ?? 1
        let last = memberUntil.map { $0.year == year ? $0.month : 12 } ?? 12
        return first...last
    }
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
        try PlainText.require(details.name, "namnet", limit: PlainText.nameLimit)
        try Self.requirePlain(invoiceAddress: details.invoiceAddress, buyerReference: details.buyerReference)
        return try await database.write(user, .memberChange, in: federation) { c in
            try await MemberStore.addMember(c, details, federationID: try await FederationStore.federationID(c, federation))
        }
    }

    /// The invoice address has lines (a Peppol and printed invoice show them); the buyer reference is one short line.
    static func requirePlain(invoiceAddress: String?, buyerReference: String?) throws(ServiceError) {
        try PlainText.require(invoiceAddress, "fakturaadressen", limit: PlainText.textLimit, multiline: true)
        try PlainText.require(buyerReference, "köparens referens", limit: PlainText.referenceLimit)
    }

    /// Members in report order: municipalities, the region, Försäkringskassan, Arbetsförmedlingen.
    public func list(of federation: String, by user: User) async throws -> [Member] {
        try await database.read(user, .memberRead, in: federation) { c in try await MemberStore.members(c, federationID: try await FederationStore.federationID(c, federation)) }
    }

    public func find(_ code: String, in federation: String, by user: User) async throws -> Member {
        try await database.read(user, .memberRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            return try await MemberStore.member(c, code, federationID: federationID)
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
    static let columns = "member_id, code, kind::text AS kind, name, orgnr, peppol_id, invoice_address, buyer_reference, member_from, member_until"

    init(row: PostgresRow) throws {
        let memberKind = try MemberKind.stored(try row.decode(String.self, "kind"))
        self.init(
            id: try row.decode(Int64.self, "member_id"), code: try row.decode(String.self, "code"),
            kind: memberKind, name: try row.decode(String.self, "name"),
            orgnr: try row.decode(String.self, "orgnr"), peppolId: try row.decode(String?.self, "peppol_id"),
            invoiceAddress: try row.decode(String?.self, "invoice_address"),
            buyerReference: try row.decode(String?.self, "buyer_reference"),
            memberFrom: try row.decode(PostgresDate?.self, "member_from")?.calendarDate(),
            memberUntil: try row.decode(PostgresDate?.self, "member_until")?.calendarDate())
    }
}

/// The SQL of members: by code, adding them and their invoice schedules.
enum MemberStore {
    /// The federation's members in report order (MemberKind.reportOrder, then name).
    static func members(_ c: isolated Connection, federationID: Int64) async throws -> [Member] {
        try await c.query("SELECT \(Member.columns) FROM member WHERE federation_id = $1", [federationID])
            .rows.map(Member.init(row:))
            .sorted { ($0.kind.reportOrder, $0.name) < ($1.kind.reportOrder, $1.name) }
    }

    static func member(_ c: isolated Connection, _ code: String, federationID: Int64) async throws -> Member {
        guard let found = try await MemberStore.findMember(c, code, federationID: federationID) else {
            throw ServiceError(.notFound, "medlemmen \"\(code)\" finns inte i förbundet", code: "member.not-found", arguments: ["member": code])
        }
        return found
    }

    static func findMember(_ c: isolated Connection, _ code: String, federationID: Int64) async throws -> Member? {
        try await c.query("SELECT \(Member.columns) FROM member WHERE federation_id = $1 AND code = $2", [federationID, code])
            .first.map(Member.init(row:))
    }
}

extension MemberStore {
    /// Inserts a member within the caller's transaction; a federation has at most one FK and one AF.
    static func addMember(_ c: isolated Connection, _ details: MemberDetails, federationID: Int64) async throws -> Member {
        guard let orgnr = OrganisationNumber(details.orgnr) else {
            throw ServiceError.invalid("organisationsnumret \(details.orgnr) är ogiltigt (NNNNNN-NNNN med rätt kontrollsiffra)")
        }
        if details.kind == .fk || details.kind == .af {
            let existing = try await c.query(
                "SELECT count(*) FROM member WHERE federation_id = $1 AND kind = $2::member_kind",
                [federationID, details.kind.rawValue]
            ).scalar(Int64.self)
            guard existing == 0 else {
                throw ServiceError.conflict("förbundet har redan \(details.kind.swedishName) som medlem")
            }
        }
        let id = try await c.query(
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
        try await database.write(user, .memberChange, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            let found = try await MemberStore.member(c, member, federationID: federationID)
            try await MemberStore.setInvoiceSchedule(c, schedule, memberID: found.id, federationID: federationID)
            return found
        }
    }
}

extension MemberStore {
    static func setInvoiceSchedule(_ c: isolated Connection, _ schedule: InvoiceSchedule, memberID: Int64, federationID: Int64) async throws {
        try await c.query(
            "UPDATE member SET invoice_schedule = $3::invoice_schedule WHERE federation_id = $1 AND member_id = $2",
            [federationID, memberID, schedule.rawValue])
    }
}

/// What `Members.update` changes: nil leaves a field as it is, an empty text clears it.
public struct MemberChanges: Sendable {
    /// A membership date: left as it is, set (to a month), or cleared.
    public enum MonthChange: Sendable, Equatable {
        case keep
        case set(year: Int, month: Int)
        case clear
    }

    public var peppolId: String?
    public var invoiceAddress: String?
    public var buyerReference: String?
    /// The first month of membership (a municipality joining during a year).
    public var joined: MonthChange
    /// The last month of membership (a municipality leaving).
    public var left: MonthChange

    public init(peppolId: String? = nil, invoiceAddress: String? = nil, buyerReference: String? = nil,
                joined: MonthChange = .keep, left: MonthChange = .keep) {
        self.peppolId = peppolId
        self.invoiceAddress = invoiceAddress
        self.buyerReference = buyerReference
        self.joined = joined
        self.left = left
    }
}

extension Members {
    /// Changes how a member is invoiced: its Peppol id, invoice address or buyer reference. Invoices already
    /// issued keep what they were issued with.
    public func update(_ code: String, in federation: String, _ changes: MemberChanges, by user: User) async throws -> Member {
        try Self.requirePlain(invoiceAddress: changes.invoiceAddress, buyerReference: changes.buyerReference)
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
        return try await database.write(user, .memberChange, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            let found = try await MemberStore.member(c, code, federationID: federationID)
            func cleared(_ value: String?) -> String? {
                guard let value else { return nil }
                let trimmed = value.trimmingSpaces
                return trimmed.isEmpty ? nil : trimmed
            }
            let peppol = changes.peppolId == nil ? found.peppolId : cleared(changes.peppolId)
            let address = changes.invoiceAddress == nil ? found.invoiceAddress : cleared(changes.invoiceAddress)
            let reference = changes.buyerReference == nil ? found.buyerReference : cleared(changes.buyerReference)
            let from: CalendarDate?
            switch changes.joined {
            case .keep: from = found.memberFrom
            case .clear: from = nil
            case .set(let year, let month): from = CalendarDate(year: year, month: month, day: 1)
            }
            let until: CalendarDate?
            switch changes.left {
            case .keep: until = found.memberUntil
            case .clear: until = nil
            case .set(let year, let month):
                until = CalendarDate(year: year, month: month, day: CalendarDate.days(inMonth: month, year: year))
            }
            if (from != nil || until != nil) && found.kind != .municipality {
                throw ServiceError.invalid(
                    "\(found.name) är medlem enligt lag hela året; bara en kommun kan gå med eller lämna förbundet under året")
            }
            if let from, let until, until < from {
                throw ServiceError.invalid("\(found.name) kan inte lämna (\(until)) innan den gick med (\(from))")
            }
            try await c.query(
                """
                UPDATE member SET peppol_id = $3, invoice_address = $4, buyer_reference = $5, member_from = $6, member_until = $7
                WHERE federation_id = $1 AND member_id = $2
                """, [federationID, found.id, peppol, address, reference, from.map(PostgresDate.init), until.map(PostgresDate.init)])
            var updated = found
            updated.peppolId = peppol
            updated.invoiceAddress = address
            updated.buyerReference = reference
            updated.memberFrom = from
            updated.memberUntil = until
            return updated
        }
    }
}
