public import FinsamCore
import Postgres

/// Folkmängd: a municipality's population in a year, with its reference date and source. The municipalities'
/// share of the contributions is split in proportion to these figures (DOMAIN.md, Member contributions).
public struct PopulationFigure: Sendable, Codable, Equatable {
    public var member: String
    public var memberName: String
    public var year: Int
    public var population: Int
    public var referenceDate: CalendarDate
    public var source: String
}

public struct Population: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Sets (or corrects) the figure of one municipality and year.
    public func set(
        member: String, in federation: String, year: Int, population: Int, referenceDate: CalendarDate?,
        source: String, by user: User
    ) async throws -> PopulationFigure {
        try await database.write(user, .populationSet, in: federation) { c in
            try await PopulationStore.setPopulation(c,
                member: member, federationID: try await FederationStore.federationID(c, federation), year: year, population: population,
                referenceDate: referenceDate, source: source)
        }
    }

    public func list(of federation: String, year: Int?, by user: User) async throws -> [PopulationFigure] {
        try await database.read(user, .memberRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            return try await c.query(
                """
                SELECT m.code, m.name, p.year, p.population, p.reference_date, p.source
                FROM member_population p JOIN member m USING (federation_id, member_id)
                WHERE p.federation_id = $1 AND ($2::int8 IS NULL OR p.year = $2)
                ORDER BY p.year, m.name
                """, [federationID, year.map(Int64.init)]
            ).rows.map { row in
                PopulationFigure(
                    member: try row.decode(String.self, "code"), memberName: try row.decode(String.self, "name"),
                    year: try row.decode(Int.self, "year"), population: try row.decode(Int.self, "population"),
                    referenceDate: try row.decode(PostgresDate.self, "reference_date").calendarDate(),
                    source: try row.decode(String.self, "source"))
            }
        }
    }
}

/// The SQL of the municipalities' population figures.
enum PopulationStore {
    /// Sets a municipality's population figure within the caller's transaction.
    static func setPopulation(_ c: isolated Connection,
        member: String, federationID: Int64, year: Int, population: Int, referenceDate: CalendarDate?, source: String
    ) async throws -> PopulationFigure {
        guard population > 0 else { throw ServiceError.invalid("folkmängden måste vara större än noll") }
        // The largest municipality has about a million inhabitants, all of Sweden about ten.
        guard population <= 10_000_000 else {
            throw ServiceError.invalid("folkmängden \(SwedishNumberFormat.integer(Int64(population))) är större än en kommuns (högst 10 000 000)")
        }
        try PlainText.require(source, "källan", limit: PlainText.referenceLimit)
        // The same range as the table's constraint, checked first so that the default date below exists.
        guard (2004...2200).contains(year) else { throw ServiceError.invalid("året \(year) ligger utanför 2004–2200") }
        // SCB's figure at 1 November of the year before is the customary reference (DOMAIN.md).
        let date = referenceDate ?? CalendarDate(year: year - 1, month: 11, day: 1)!
        let found = try await MemberStore.member(c, member, federationID: federationID)
        guard found.kind == .municipality else {
            throw ServiceError.invalid("folkmängd anges bara för kommuner; \(found.name) är \(found.kind.swedishName.lowercased())")
        }
        try await c.query(
            """
            INSERT INTO member_population (federation_id, member_id, year, population, reference_date, source)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (federation_id, member_id, year) DO UPDATE
                SET population = excluded.population, reference_date = excluded.reference_date,
                    source = excluded.source
            """, [federationID, found.id, year, population, PostgresDate(date), source])
        return PopulationFigure(
            member: found.code, memberName: found.name, year: year, population: population, referenceDate: date,
            source: source)
    }
}
