public import Postgres
import FinsamCore

/// The service's way into PostgreSQL: one transaction per use case, scoped to what the user may see.
public struct Database: Sendable {
    public let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// A use case that writes: READ COMMITTED (the triggers serialize what must be serialized: numbering,
    /// period locks), retried on serialization failure and deadlock.
    func write<T: Sendable>(
        _ user: User, _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        do {
            return try await pool.transaction { connection in
                try await connection.scope(to: user)
                return try await body(connection)
            }
        } catch let error as PostgresError {
            throw ServiceError(error)
        } catch let error as MoneyOverflow {
            throw ServiceError(.invalid, error.description)
        }
    }

    /// A use case's preview: the same work as `write`, in a transaction that is always rolled back, so that what
    /// the work would give (e.g. the income statement after an import) can be shown and nothing is kept.
    func preview<T: Sendable>(
        _ user: User, _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        do {
            try await write(user) { connection -> Void in throw PreviewRollback(value: try await body(connection)) }
        } catch let rollback as PreviewRollback<T> {
            return rollback.value
        }
        // The body above always throws; a transaction that committed would be a preview that kept something.
        throw ServiceError(.unavailable, "förhandsvisningen avslutades utan att rullas tillbaka")
    }

    /// A use case that reads: REPEATABLE READ, so that every query of a report sees the same ledger.
    func read<T: Sendable>(
        _ user: User, _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        do {
            return try await pool.transaction(isolation: .repeatableRead, readOnly: true) { connection in
                try await connection.scope(to: user)
                return try await body(connection)
            }
        } catch let error as PostgresError {
            throw ServiceError(error)
        } catch let error as MoneyOverflow {
            throw ServiceError(.invalid, error.description)
        }
    }
}

extension Connection {
    /// Sets the federations this transaction may see (`finsam_visible`, schema/001). Transaction-local, so a
    /// pooled connection never carries one user's scope into the next user's work.
    ///
    /// It also turns JIT compilation off for the transaction, in the same round trip. The service's queries read
    /// balances and a handful of rows; the planner cannot know that the edges of a period are empty, estimates
    /// them at ledger size, and past `jit_above_cost` spends 40 ms (2 000 000 lines) to 1,5 s (10 000 000 lines)
    /// compiling a query that then runs in 1 ms (measured with scripts/bench-ledger, BENCHMARKS.md).
    func scope(to user: User) async throws {
        switch user.scope {
        case .allFederations:
            try await query("SELECT set_config('finsam.all_federations', 'on', true), set_config('jit', 'off', true)")
        case .federations(let ids):
            try await query(
                """
                SELECT set_config('finsam.all_federations', 'off', true), set_config('finsam.federations', $1::bigint[]::text, true),
                       set_config('jit', 'off', true)
                """, [ids])
        }
    }
}

/// Carries a preview's result out of its transaction, rolling the transaction back on the way.
struct PreviewRollback<Value: Sendable>: Error {
    let value: Value
}
