public import Foundation
import FinsamCore
import Postgres

/// A closed month or year: no voucher may be dated in it afterwards (DOMAIN.md, The ledger).
public struct PeriodLock: Sendable, Codable, Equatable {
    public var year: Int
    /// 1–12, or nil when the whole year is locked.
    public var month: Int?
    public var lockedBy: String
    public var lockedAt: Date
}

public struct PeriodLocks: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Locks a month (1–12) or, with `month` nil, the whole year. Locks are never lifted.
    public func lock(year: Int, month: Int?, in federation: String, by user: User) async throws -> PeriodLock {
        if let month, !(1...12).contains(month) { throw ServiceError.invalid("månaden ska vara 1–12, inte \(month)") }
        return try await database.write(user, .periodLock, in: federation) { c in
            try await PeriodLockStore.lockPeriod(c, year: year, month: month, federationID: try await FederationStore.federationID(c, federation), by: user.name)
        }
    }

    public func list(in federation: String, by user: User) async throws -> [PeriodLock] {
        try await database.read(user, .federationRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            return try await c.query(
                """
                SELECT fiscal_year, month, locked_by, locked_at
                FROM period_lock WHERE federation_id = $1 ORDER BY fiscal_year, month NULLS LAST
                """, [federationID]
            ).rows.map { row in
                PeriodLock(
                    year: try row.decode(Int.self, "fiscal_year"), month: try row.decode(Int?.self, "month"),
                    lockedBy: try row.decode(String.self, "locked_by"), lockedAt: try row.decode(Date.self, "locked_at"))
            }
        }
    }
}

/// The SQL of locked periods.
enum PeriodLockStore {
    /// Locks a month or a year within the caller's transaction.
    static func lockPeriod(_ c: isolated Connection, year: Int, month: Int?, federationID: Int64, by userName: String) async throws -> PeriodLock {
        // Waits for vouchers being posted right now (they hold the federation row FOR KEY SHARE through the
        // numbering trigger) and holds new ones back until the lock is committed.
        try await c.query("SELECT 1 FROM federation WHERE federation_id = $1 FOR UPDATE", [federationID])
        let already = try await c.query(
            """
            SELECT month FROM period_lock WHERE federation_id = $1 AND fiscal_year = $2
              AND (month IS NULL OR month = $3)
            """, [federationID, year, month.map(Int64.init)])
        if let row = already.first {
            let lockedMonth = try row.decode(Int?.self, at: 0)
            throw ServiceError.conflict(lockedMonth == nil ? "året \(year) är redan låst" : "perioden är redan låst")
        }
        let row = try await c.query(
            """
            INSERT INTO period_lock (federation_id, fiscal_year, month, locked_by) VALUES ($1, $2, $3, $4)
            RETURNING locked_at
            """, [federationID, year, month.map(Int64.init), userName])
        return PeriodLock(year: year, month: month, lockedBy: userName, lockedAt: try row.scalar(Date.self))
    }
}
