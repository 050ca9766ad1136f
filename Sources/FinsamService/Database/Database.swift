public import Postgres
import FinsamCore

/// The service's way into PostgreSQL: one transaction per use case, as its actor, scoped to what the actor may see.
///
/// Every use case names itself (`UseCase`) and, when it concerns one federation, that federation. In the
/// transaction, before the use case's own work, the actor's roles are loaded and the transaction scoped to the
/// actor's federations (row-level security); then the rights table decides (`Actor.may`), and a refusal names the
/// role that is needed. A use case that writes leaves its audit record in the same transaction (`seal`, AuditSeal.swift).
public struct Database: Sendable {
    public let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// A use case that writes: READ COMMITTED (the triggers serialize what must be serialized: numbering,
    /// period locks), retried on serialization failure and deadlock.
    func write<T: Sendable>(
        _ user: User, _ useCase: UseCase, in federation: String? = nil,
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        try await write(user, useCase, inEach: federation.map { [$0] }, body)
    }

    /// A use case that writes in several federations at once (granting roles in each): the right is needed in every one.
    /// Nil or empty: the use case concerns no single federation, and the right is needed in at least one of the actor's.
    func write<T: Sendable>(
        _ user: User, _ useCase: UseCase, inEach federations: [String]?,
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        try await translatingErrors {
            try await pool.transaction(opening: ActorScope.grant(to: user)) { connection, granted in
                let actor = try ActorScope.actor(connection, user, granted: granted)
                try actor.require(useCase, inEach: federations ?? [])
                let value = try await body(connection)
                try await AuditStore.seal(connection, useCase, by: user)
                return value
            }
        }
    }

    /// A use case's preview: the same work as `write`, in a transaction that is always rolled back, so that what
    /// the work would give (e.g. the income statement after an import) can be shown and nothing is kept.
    func preview<T: Sendable>(
        _ user: User, _ useCase: UseCase, in federation: String? = nil,
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        do {
            try await write(user, useCase, in: federation) { connection -> Void in
                throw PreviewRollback(value: try await body(connection))
            }
        } catch let rollback as PreviewRollback<T> {
            return rollback.value
        }
        // The body above always throws; a transaction that committed would be a preview that kept something.
        throw ServiceError(.unavailable, "förhandsvisningen avslutades utan att rullas tillbaka")
    }

    /// A use case that reads: REPEATABLE READ, so that every query of a report sees the same ledger, and read-only
    /// from the grant on (see `ActorScope.grant`).
    func read<T: Sendable>(
        _ user: User, _ useCase: UseCase, in federation: String? = nil,
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        try await translatingErrors {
            try await pool.transaction(isolation: .repeatableRead, opening: ActorScope.grant(to: user, readOnly: true)) { connection, granted in
                let actor = try ActorScope.actor(connection, user, granted: granted)
                try actor.require(useCase, inEach: federation.map { [$0] } ?? [])
                return try await body(connection)
            }
        }
    }

    /// Who `user` is, with their roles as the database grants them, and nothing else.
    func actor(_ user: User) async throws -> Actor {
        try await translatingErrors {
            try await pool.transaction(opening: ActorScope.grant(to: user, readOnly: true)) { connection, granted in
                try ActorScope.actor(connection, user, granted: granted)
            }
        }
    }

    /// Work that acts for nobody yet: signing in and out, and finding whom a secret belongs to. It calls only the
    /// database's own functions for that (schema/021); no table is in scope.
    func anonymous<T: Sendable>(_ body: @Sendable (isolated Connection) async throws -> T) async throws -> T {
        try await translatingErrors {
            try await pool.transaction(isolation: .readCommitted) { connection in try await body(connection) }
        }
    }

    private func translatingErrors<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as PostgresError {
            throw ServiceError(error)
        } catch let error as MoneyOverflow {
            throw ServiceError(.invalid, error.description)
        }
    }
}

/// The start of every use case's transaction: who acts, with which roles, and which federations it may see.
enum ActorScope {
    /// The statement that begins the use case's work as `user`, sent with the transaction's BEGIN in one round trip
    /// (`ConnectionPool.transaction(opening:)`): it loads a person's roles and has the database grant the transaction the
    /// scope of the federations they hold one in; the operator and the nightly job see every federation. Only the
    /// database grants a scope (schema/021): the daemon presents the person's session or token
    /// (`finsam_act_as_credential`, the one function the application role may call), the CLI logs in as
    /// finsam_operator and names the person (`finsam_act_as`), the nightly job logs in as finsam_nightly.
    /// The scope is transaction-local, so a pooled connection never carries one actor's scope into the next one's work.
    ///
    /// A use case that only reads is made read-only by the grant itself (`readOnly`), in the same statement: its
    /// transaction begins read-write because the grant writes the backend's row of `finsam_granted_scope`
    /// (schema/029), which a transaction begun read-only may not do.
    ///
    /// The grant also turns JIT compilation off for the transaction, in the same round trip. The service's queries read
    /// balances and a handful of rows; the planner cannot know that the edges of a period are empty, estimates
    /// them at ledger size, and past `jit_above_cost` spends 40 ms (2 000 000 lines) to 1,5 s (10 000 000 lines)
    /// compiling a query that then runs in 1 ms (measured with scripts/bench-ledger, BENCHMARKS.md).
    static func grant(to user: User, readOnly: Bool = false) -> PostgresStatement {
        switch user.kind {
        case .operator:
            return PostgresStatement("SELECT finsam_act_as_operator($1)", [readOnly])
        case .system:
            return PostgresStatement("SELECT finsam_act_as_system($1)", [readOnly])
        case .user(let code):
            if let credential = user.credential {
                // The daemon: the database checks the secret and grants the scope of whoever it belongs to.
                return PostgresStatement(
                    "SELECT user_code, federation, federation_id, role FROM finsam_act_as_credential($1, $2)", [credential, readOnly])
            }
            return PostgresStatement("SELECT federation, federation_id, role FROM finsam_act_as($1, $2)", [code, readOnly])
        }
    }

    /// The actor the grant's answer describes: the person's roles, federation by federation. The ids of the
    /// federations granted are kept for the transaction (`FederationStore.federationID` finds them there).
    static func actor(_ c: isolated Connection, _ user: User, granted: QueryResult) throws -> Actor {
        guard case .user(let code) = user.kind else { return Actor(kind: user.kind) }
        let rows = granted.rows
        if user.credential != nil {
            guard let first = rows.first, try first.decode(String.self, "user_code") == code else {
                throw ServiceError(.unauthenticated, "inloggningen gäller inte längre: logga in igen", code: "session.invalid")
            }
        } else if rows.isEmpty {
            throw ServiceError(.forbidden, "användaren \"\(code)\" finns inte", code: "user.unknown-actor", arguments: ["user": code])
        }
        var roles: [String: Set<Role>] = [:]
        for row in rows {
            guard let federation = try row.decode(String?.self, "federation"), let text = try row.decode(String?.self, "role") else { continue }
            FederationStore.remember(c, federation, id: try row.decode(Int64.self, "federation_id"))
            guard let role = Role(rawValue: text) else { throw ServiceError(.unavailable, "okänd roll \"\(text)\" i databasen") }
            roles[federation, default: []].insert(role)
        }
        return Actor(kind: user.kind, roles: roles)
    }
}

extension Actor {
    /// Refuses `useCase` unless the rights table allows it in each of `federations`, or, when the use case concerns
    /// no single federation (none given), in at least one of the actor's.
    func require(_ useCase: UseCase, inEach federations: [String]) throws {
        if federations.isEmpty {
            guard !mayAnywhere(useCase) else { return }
            throw ServiceError(.forbidden, refusal(useCase, in: "något förbund"), code: refusalCode(useCase),
                arguments: ["actor": recordedName, "useCase": useCase.rawValue])
        }
        for federation in federations where !may(useCase, in: federation) {
            throw ServiceError(.forbidden, refusal(useCase, in: federation), code: refusalCode(useCase),
                arguments: ["actor": recordedName, "useCase": useCase.rawValue, "federation": federation])
        }
    }
}

/// Carries a preview's result out of its transaction, rolling the transaction back on the way.
struct PreviewRollback<Value: Sendable>: Error {
    let value: Value
}
