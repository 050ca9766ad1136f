import DequeModule
import Foundation
public import Logging
import Synchronization

/// A pool of connections: at most `maximumConnections` open, handed out one task at a time.
///
/// A connection is checked when it is handed out, without a round trip (see `Connection.isHealthy`); one whose
/// server went away (a restart, a dropped network) is re-established then, so the first query after a
/// `pg_ctl restart` succeeds without restarting the program. A task that finds every connection busy waits,
/// up to `acquireTimeout`.
public final class ConnectionPool: Sendable {
    public struct Options: Sendable {
        public var minimumConnections: Int
        public var maximumConnections: Int
        public var acquireTimeout: Duration
        /// Connections idle this long are closed, down to `minimumConnections`.
        public var idleTimeout: Duration

        public init(
            minimumConnections: Int = 1, maximumConnections: Int = 8,
            acquireTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(300)
        ) {
            self.minimumConnections = max(0, minimumConnections)
            self.maximumConnections = max(1, maximumConnections, minimumConnections)
            self.acquireTimeout = acquireTimeout
            self.idleTimeout = idleTimeout
        }
    }

    private enum Grant: Sendable {
        case connection(Connection)
        case create
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Grant, any Error>
        var timer: Task<Void, Never>?
    }

    private struct Idle {
        var connection: Connection
        var since: ContinuousClock.Instant
    }

    private struct State {
        var idle: [Idle] = []
        var open = 0
        var waiters: Deque<Waiter> = []
        var nextWaiterID = 0
        var closed = false
    }

    public let configuration: ConnectionConfiguration
    public let options: Options
    private let logger: Logger
    private let state = Mutex(State())

    public init(configuration: ConnectionConfiguration, options: Options = Options(), logger: Logger = Logger(label: "finsam.postgres.pool")) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
    }

    /// Lends a connection to `body`, which runs on the connection's own thread.
    public func withConnection<T: Sendable>(_ body: @Sendable (isolated Connection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        let (outcome, reusable) = await connection.lease(inTransaction: nil, body)
        release(connection, reusable: reusable)
        return try outcome.get()
    }

    /// Runs `body` in a transaction on a pooled connection (see `Connection.transaction`).
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted, readOnly: Bool = false, maxAttempts: Int = 5,
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        let options = TransactionOptions(isolation: isolation, readOnly: readOnly, maxAttempts: maxAttempts)
        let (outcome, reusable) = await connection.lease(inTransaction: options, body)
        release(connection, reusable: reusable)
        return try outcome.get()
    }

    /// Runs `body` in a transaction on a pooled connection, its first statement sent with BEGIN in one round trip
    /// (see `Connection.transaction(isolation:readOnly:maxAttempts:opening:_:)`).
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted, readOnly: Bool = false, maxAttempts: Int = 5,
        opening: PostgresStatement,
        _ body: @Sendable (isolated Connection, QueryResult) async throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        let (outcome, reusable) = await connection.lease(inTransaction: nil) { c in
            try await c.transaction(isolation: isolation, readOnly: readOnly, maxAttempts: maxAttempts, opening: opening, body)
        }
        release(connection, reusable: reusable)
        return try outcome.get()
    }

    /// Opens `minimumConnections` now, so that the first requests do not pay for connecting.
    public func warmUp() async throws {
        var opened: [Connection] = []
        while true {
            let mayOpen = state.withLock { state in
                guard state.open < options.minimumConnections, !state.closed else { return false }
                state.open += 1
                return true
            }
            guard mayOpen else { break }
            do {
                opened.append(try await Connection.connect(configuration, logger: logger))
            } catch {
                state.withLock { $0.open -= 1 }
                opened.forEach { release($0, reusable: true) }
                throw error
            }
        }
        opened.forEach { release($0, reusable: true) }
    }

    /// How many connections are open and how many of them are idle.
    public var statistics: (open: Int, idle: Int, waiting: Int) {
        state.withLock { ($0.open, $0.idle.count, $0.waiters.count) }
    }

    /// Closes idle connections and refuses new work; connections in use close when they come back.
    public func close() async {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            let idle = state.idle.map(\.connection)
            state.open -= idle.count
            state.idle.removeAll()
            let waiters = Array(state.waiters)
            state.waiters.removeAll()
            return (idle, waiters)
        }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(throwing: PostgresError(kind: .closed, serverMessage: "the pool is closed"))
        }
        for connection in idle { await connection.close() }
    }

    // MARK: Acquire and release

    private func acquire() async throws -> Connection {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let grant = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                state.withLock { state in
                    if state.closed {
                        continuation.resume(throwing: PostgresError(kind: .closed, serverMessage: "the pool is closed"))
                    } else if let idle = state.idle.popLast() {
                        continuation.resume(returning: .connection(idle.connection))
                    } else if state.open < options.maximumConnections {
                        state.open += 1
                        continuation.resume(returning: .create)
                    } else {
                        let timeout = options.acquireTimeout
                        let timer = Task { [weak self] in
                            try? await Task.sleep(for: timeout)
                            guard !Task.isCancelled else { return }
                            self?.failWaiter(id, PostgresError(kind: .poolTimeout, serverMessage: "no connection became free within \(timeout)"))
                        }
                        state.waiters.append(Waiter(id: id, continuation: continuation, timer: timer))
                    }
                }
            }
        } onCancel: {
            failWaiter(id, PostgresError(kind: .cancelled, serverMessage: "the task was cancelled while waiting for a connection"))
        }
        switch grant {
        case .connection(let connection):
            return connection
        case .create:
            do {
                return try await Connection.connect(configuration, logger: logger)
            } catch {
                // The slot is free again: let a waiter try its luck.
                handOverSlot()
                throw error
            }
        }
    }

    private func failWaiter(_ id: Int, _ error: PostgresError) {
        let waiter: Waiter? = state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(throwing: error)
    }

    /// A connection was closed: give its slot to the first waiter (who will open one), or free it.
    private func handOverSlot() {
        let waiter: Waiter? = state.withLock { state in
            if let waiter = state.waiters.popFirst() { return waiter }
            state.open -= 1
            return nil
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(returning: .create)
    }

    private func release(_ connection: Connection, reusable: Bool) {
        guard reusable else {
            handOverSlot()
            Task { await connection.close() }
            return
        }
        let now = ContinuousClock.now
        let (waiter, expired): (Waiter?, [Connection]) = state.withLock { state in
            if state.closed {
                state.open -= 1
                return (nil, [connection])
            }
            if let waiter = state.waiters.popFirst() { return (waiter, []) }
            state.idle.append(Idle(connection: connection, since: now))
            // The longest idle sit at the bottom of the stack; close them while above the minimum.
            var expired: [Connection] = []
            while state.open > options.minimumConnections, let oldest = state.idle.first,
                now - oldest.since > options.idleTimeout
            {
                state.idle.removeFirst()
                state.open -= 1
                expired.append(oldest.connection)
            }
            return (nil, expired)
        }
        if let waiter {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: .connection(connection))
        }
        if !expired.isEmpty {
            Task { for connection in expired { await connection.close() } }
        }
    }
}

extension Connection {
    /// One loan from the pool, in one hop: check (and if need be re-establish) the session, run the body, and
    /// leave the session clean for the next borrower.
    func lease<T: Sendable>(
        inTransaction transaction: TransactionOptions?,
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async -> (Result<T, any Error>, Bool) {
        if !isHealthy() {
            logger.info("re-establishing a broken database session")
            do { try reconnect() } catch { return (.failure(error), false) }
        }
        let outcome: Result<T, any Error>
        do {
            if let transaction {
                outcome = .success(
                    try await self.transaction(
                        isolation: transaction.isolation, readOnly: transaction.readOnly,
                        maxAttempts: transaction.maxAttempts, body))
            } else {
                outcome = .success(try await inCancellationScope(body))
            }
        } catch {
            outcome = .failure(error)
        }
        return (outcome, prepareForReuse())
    }
}

struct TransactionOptions: Sendable {
    var isolation: IsolationLevel
    var readOnly: Bool
    var maxAttempts: Int
}
