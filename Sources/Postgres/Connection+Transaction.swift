import Foundation
import Logging

/// The isolation levels of `BEGIN ISOLATION LEVEL …`.
public enum IsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension Connection {
    /// Runs `body` in a transaction and commits it; rolls back when `body` throws.
    ///
    /// A serialization failure (40001) or deadlock (40P01) means the server gave up on this attempt and the
    /// same work may well succeed again: the whole body is rolled back and run again, up to `maxAttempts` times,
    /// with a short randomized pause. The body must therefore be safe to repeat: it should only touch the
    /// database (and values it computes), not send mail or print.
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted,
        readOnly: Bool = false,
        maxAttempts: Int = 5,
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        guard transactionState == .idle else {
            throw PostgresError.misuse("a transaction is already open on this connection; use savepoint")
        }
        return try await inCancellationScope { c in
            try await c.runTransaction(isolation: isolation, readOnly: readOnly, maxAttempts: maxAttempts, opening: nil) { c, _ in
                try await body(c)
            }
        }
    }

    /// The same, with the transaction's first statement sent together with its BEGIN (one round trip for both, in
    /// pipeline mode) and its result handed to `body`: for work that always opens with the same kind of statement
    /// (the service's grant of who acts). Retried as a whole, opening statement included.
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted,
        readOnly: Bool = false,
        maxAttempts: Int = 5,
        opening: PostgresStatement,
        _ body: @Sendable (isolated Connection, QueryResult) async throws -> T
    ) async throws -> T {
        guard transactionState == .idle else {
            throw PostgresError.misuse("a transaction is already open on this connection; use savepoint")
        }
        return try await inCancellationScope { c in
            try await c.runTransaction(isolation: isolation, readOnly: readOnly, maxAttempts: maxAttempts, opening: opening) { c, opened in
                // Set whenever an opening statement was given.
                try await body(c, opened!)
            }
        }
    }

    private func runTransaction<T: Sendable>(
        isolation: IsolationLevel, readOnly: Bool, maxAttempts: Int, opening: PostgresStatement?,
        _ body: @Sendable (isolated Connection, QueryResult?) async throws -> T
    ) async throws -> T {
        let begin = "BEGIN ISOLATION LEVEL \(isolation.rawValue)\(readOnly ? " READ ONLY" : "")"
        var attempt = 1
        defer { transactionValues.removeAll() }
        while true {
            transactionValues.removeAll()
            do {
                var opened: QueryResult?
                if let opening {
                    // BEGIN's own result is not kept. When either fails, the transaction (if BEGIN ran) is rolled
                    // back below like any other.
                    opened = try await pipeline([PostgresStatement(begin), opening]).last
                } else {
                    try simpleCommand(begin)
                }
                let value = try await body(self, opened)
                if transactionState == .failed {
                    // The body caught a failed statement and went on; COMMIT would silently roll back.
                    throw PostgresError.misuse("the transaction failed earlier and cannot be committed")
                }
                try simpleCommand("COMMIT")
                return value
            } catch let error as PostgresError where error.isTransient && attempt < maxAttempts {
                rollbackQuietly()
                logger.debug("transaction retried", metadata: ["sqlstate": "\(error.sqlState ?? "")", "attempt": "\(attempt)"])
                // Jittered exponential pause: two conflicting clients should not collide again in lockstep.
                let ceiling = min(200_000, 2_000 << min(attempt, 6))
                usleep(UInt32.random(in: 500...UInt32(ceiling)))
                attempt += 1
            } catch {
                rollbackQuietly()
                throw error
            }
        }
    }

    /// Runs `body` inside a savepoint of the open transaction: when it throws, only its work is undone.
    public func savepoint<T: Sendable>(_ body: @Sendable (isolated Connection) async throws -> T) async throws -> T {
        guard transactionState == .inTransaction else {
            throw PostgresError.misuse("savepoint needs an open, healthy transaction")
        }
        savepointDepth += 1
        let name = "finsam_sp\(savepointDepth)"
        defer { savepointDepth -= 1 }
        try simpleCommand("SAVEPOINT \(name)")
        do {
            let value = try await body(self)
            try simpleCommand("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            if transactionState == .inTransaction || transactionState == .failed {
                try? simpleCommand("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
            }
            throw error
        }
    }

    private func rollbackQuietly() {
        if transactionState == .inTransaction || transactionState == .failed {
            try? simpleCommand("ROLLBACK")
        }
    }
}
