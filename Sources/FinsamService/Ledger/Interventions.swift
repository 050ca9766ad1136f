public import FinsamCore
import Postgres

/// Insats: an activity the federation finances, with its cost category and active period.
public struct Intervention: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var category: CostCategory
    public var activeFrom: CalendarDate
    public var activeTo: CalendarDate?
    /// How the board funds it per municipality and half-year; nil: not by such decisions.
    public var funding: FundingModel?

    public init(
        code: String, name: String, category: CostCategory, activeFrom: CalendarDate, activeTo: CalendarDate? = nil,
        funding: FundingModel? = nil
    ) {
        self.code = code
        self.name = name
        self.category = category
        self.activeFrom = activeFrom
        self.activeTo = activeTo
        self.funding = funding
    }
}

public struct Interventions: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func add(_ intervention: Intervention, to federation: String, by user: User) async throws -> Intervention {
        if let end = intervention.activeTo, end < intervention.activeFrom {
            throw ServiceError.invalid("insatsens slutdatum \(end) ligger före startdatum \(intervention.activeFrom)")
        }
        try PlainText.require(intervention.name, "insatsens namn", limit: PlainText.nameLimit)
        return try await database.write(user, .chartChange, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            try await InterventionStore.insert(c, intervention, federationID: federationID)
            return intervention
        }
    }

    public func list(of federation: String, by user: User) async throws -> [Intervention] {
        try await database.read(user, .federationRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            return try await c.query(
                """
                SELECT code, name, category::text, active_from, active_to, funding_model::text AS funding FROM intervention
                WHERE federation_id = $1 ORDER BY category, code
                """, [federationID]
            ).rows.map { row in
                Intervention(
                    code: try row.decode(String.self, "code"), name: try row.decode(String.self, "name"),
                    category: CostCategory(rawValue: try row.decode(String.self, "category")) ?? .individual,
                    activeFrom: try row.decode(PostgresDate.self, "active_from").calendarDate(),
                    activeTo: try row.decode(PostgresDate?.self, "active_to")?.calendarDate(),
                    funding: try row.decode(String?.self, "funding").map(FundingModel.stored))
            }
        }
    }
}

/// The SQL of interventions.
enum InterventionStore {
    @discardableResult
    static func insert(_ c: isolated Connection, _ intervention: Intervention, federationID: Int64) async throws -> Int64 {
        try await c.query(
            """
            INSERT INTO intervention (federation_id, code, name, category, active_from, active_to, funding_model)
            VALUES ($1, $2, $3, $4::cost_category, $5, $6, $7::funding_model) RETURNING intervention_id
            """,
            [federationID, intervention.code, intervention.name, intervention.category.rawValue,
             PostgresDate(intervention.activeFrom), intervention.activeTo.map(PostgresDate.init), intervention.funding?.stored]
        ).scalar(Int64.self)
    }
}
