internal import CLibPQ
import Foundation
public import Logging

/// One PostgreSQL session.
///
/// An actor whose executor is a dedicated thread (`ConnectionThread`): libpq's blocking calls run there, never on
/// Swift's cooperative pool. From outside, each call hops to that thread and back. Code that runs many statements
/// should run *on* the connection, in a closure given an `isolated Connection` (`withIsolation`, `transaction`,
/// or the pool's `withConnection`): there, statements follow each other with no thread hop at all.
///
/// A connection is used by one task at a time; the pool hands it out exclusively.
public actor Connection {
    let thread: ConnectionThread
    public nonisolated let configuration: ConnectionConfiguration
    public nonisolated let logger: Logger
    nonisolated let cancelHandle = CancelHandle()
    private let notices: NoticeSink

    /// The `PGconn*`, nil once closed.
    var handle: OpaquePointer?
    var statements: StatementCache
    var savepointDepth = 0
    /// True while a block of work runs under one task-cancellation handler (`inCancellationScope`): the queries
    /// inside then skip registering a handler of their own, which a round trip would otherwise pay for.
    var cancellationScopeActive = false
    /// Statements evicted from the cache during a pipeline, deallocated once it ends.
    var deferredDeallocations: [StatementName] = []
    /// Values the layers above keep for the length of one transaction (what its opening statement established, say),
    /// emptied when a transaction begins and when it ends.
    public var transactionValues: [String: any Sendable] = [:]
    /// Where one-at-a-time queries encode their parameters, reused from query to query (`Binds.encoding`).
    let scratchBinds = Binds()

    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    private init(configuration: ConnectionConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.thread = ConnectionThread(name: "pg-connection")
        self.statements = StatementCache(capacity: configuration.statementCacheCapacity)
        self.notices = NoticeSink(logger: logger)
    }

    /// Opens a connection (on its own thread) and pins the session settings decoding and SQL rely on.
    public static func connect(
        _ configuration: ConnectionConfiguration,
        logger: Logger = Logger(label: "finsam.postgres")
    ) async throws(PostgresError) -> Connection {
        let connection = Connection(configuration: configuration, logger: logger)
        try await connection.open()
        return connection
    }

    private func open() throws(PostgresError) {
        let pairs = configuration.keywordValuePairs
        let conn = withCStringArrays(pairs.map(\.0), pairs.map(\.1)) { keywords, values in
            PQconnectdbParams(keywords, values, 1)
        }
        guard let conn else { throw PostgresError.connection("out of memory creating a connection") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = Self.errorMessage(conn)
            PQfinish(conn)
            throw PostgresError.connection(message)
        }
        handle = conn
        try afterConnect()
    }

    /// What every new or re-established session needs.
    private func afterConnect() throws(PostgresError) {
        guard let handle else { throw PostgresError.closed }
        notices.install(on: handle)
        cancelHandle.replace(PQgetCancel(handle))
        statements.removeAll()
        savepointDepth = 0
        // Results are binary, so DateStyle and IntervalStyle only affect text casts written in SQL; pin them anyway
        // so that `::text` and error messages look the same on every server. The time zone is explicit.
        let zone = configuration.timeZone.replacingOccurrences(of: "'", with: "''")
        try simpleCommand("SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET TimeZone = '\(zone)'")
    }

    /// Closes the session. Further use throws `.closed`.
    public func close() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
        }
        cancelHandle.replace(nil)
        // The thread stays until deinit: a call on a closed connection must still run, to throw `.closed`.
    }

    /// Runs on the connection's own thread, the only one that ever touches the PGconn.
    isolated deinit {
        if let handle { PQfinish(handle) }
        thread.shutdown()
    }

    /// Runs `body` on this connection's thread, where every statement is a direct call.
    public func withIsolation<T: Sendable>(
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async rethrows -> T {
        try await inCancellationScope(body)
    }

    /// Runs `body` under a single handler for the task's cancellation: cancelling the task cancels whichever
    /// query of `body` is running (CancelHandle sends the request only while one is in flight), and a query
    /// that would start after the cancellation is not sent. A connection serves one task at a time (the pool
    /// lends it exclusively); a child task that `body` starts is cancelled with its parent, not on its own.
    func inCancellationScope<T: Sendable>(
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async rethrows -> T {
        if cancellationScopeActive { return try await body(self) }
        cancellationScopeActive = true
        defer { cancellationScopeActive = false }
        let handle = cancelHandle
        return try await withTaskCancellationHandler {
            try await body(self)
        } onCancel: {
            handle.cancel(.task)
        }
    }

    // MARK: State

    public var isClosed: Bool { handle == nil }

    /// The server's version, e.g. 150018 for 15.18.
    public var serverVersion: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    /// The backend's process id (what `pg_backend_pid()` says), useful to tell sessions apart.
    public var backendPID: Int { handle.map { Int(PQbackendPID($0)) } ?? 0 }

    public enum TransactionState: Sendable { case idle, active, inTransaction, failed, unknown }

    public var transactionState: TransactionState {
        guard let handle else { return .unknown }
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_ACTIVE: return .active
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failed
        default: return .unknown
        }
    }

    /// False when the session is gone: closed, or broken, or the server has said goodbye (e.g. it restarted).
    ///
    /// Costs no round trip in the normal case: an idle session should receive nothing, so the socket is polled
    /// without waiting; only when something arrived is it read, and a `SELECT 1` settles any doubt.
    public func isHealthy() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        if ready == 0 { return true }
        if ready < 0 { return false }
        if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK { return false }
        while let notify = PQnotifies(handle) { PQfreemem(notify) }
        guard let result = PQexec(handle, "SELECT 1") else { return false }
        defer { PQclear(result) }
        return PQresultStatus(result) == PGRES_TUPLES_OK && PQstatus(handle) == CONNECTION_OK
    }

    /// Re-establishes a broken session with the same parameters (the server restarted, the network dropped).
    public func reconnect() throws(PostgresError) {
        if let handle {
            PQreset(handle)
            guard PQstatus(handle) == CONNECTION_OK else {
                throw PostgresError.connection(Self.errorMessage(handle))
            }
            try afterConnect()
        } else {
            try open()
        }
    }

    /// Makes the session ready for its next user: no open transaction, no query in flight.
    /// Returns false when it cannot be, and the session should be replaced.
    func prepareForReuse() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE:
            return true
        case PQTRANS_INTRANS, PQTRANS_INERROR:
            return (try? simpleCommand("ROLLBACK")) != nil
        default:
            return false
        }
    }

    // MARK: libpq helpers

    static func errorMessage(_ conn: OpaquePointer) -> String {
        String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func requireHandle() throws(PostgresError) -> OpaquePointer {
        guard let handle else { throw PostgresError.closed }
        return handle
    }

    /// Turns a `PGresult` into a `QueryResult`, or its error into a `PostgresError` (clearing it).
    func checked(_ result: OpaquePointer?) throws(PostgresError) -> QueryResult {
        let conn = try requireHandle()
        guard let result else {
            throw PostgresError(connectionFailureOf: conn)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return QueryResult(taking: result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            PQclear(result)
            abandonCopy(conn)
            throw PostgresError.misuse("COPY must be run with copyIn or copyOut")
        default:
            let error = PostgresError(result: result, connection: conn)
            PQclear(result)
            throw error
        }
    }

    /// Leaves a COPY state that a statement unexpectedly entered, so the session stays usable.
    private func abandonCopy(_ conn: OpaquePointer) {
        _ = PQputCopyEnd(conn, "not expected")
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(conn, &buffer, 0) > 0 { PQfreemem(buffer) }
        while let next = PQgetResult(conn) { PQclear(next) }
    }

    /// Runs SQL with the simple query protocol: no parameters, several statements allowed (`SET …; SET …`),
    /// rows discarded. For migrations, session settings and transaction control.
    func simpleCommand(_ sql: String) throws(PostgresError) {
        let conn = try requireHandle()
        var firstError: PostgresError?
        guard PQsendQuery(conn, sql) == 1 else { throw PostgresError(connectionFailureOf: conn) }
        while let result = PQgetResult(conn) {
            let status = PQresultStatus(result)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT {
                PQclear(result)
                abandonCopy(conn)
                firstError = firstError ?? PostgresError.misuse("COPY must be run with copyIn or copyOut")
                continue
            }
            if status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR || status == PGRES_BAD_RESPONSE {
                firstError = firstError ?? PostgresError(result: result, connection: conn)
            }
            PQclear(result)
        }
        if let firstError { throw firstError }
        if PQstatus(conn) != CONNECTION_OK { throw PostgresError(connectionFailureOf: conn) }
    }
}

/// Receives the server's notices and warnings (which libpq would otherwise print to stderr) and logs them.
private final class NoticeSink: Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }

    func install(on conn: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        PQsetNoticeReceiver(conn, { context, result in
            guard let context, let result else { return }
            let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
            let severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))).map { String(cString: $0) } ?? "NOTICE"
            let code = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            // The message text can quote values; log the code and severity, the text only at trace level.
            sink.logger.debug("postgres notice", metadata: ["severity": "\(severity)", "sqlstate": "\(code)"])
            if sink.logger.logLevel <= .trace {
                sink.logger.trace("\(String(cString: PQresultErrorMessage(result)))")
            }
        }, context)
    }
}

extension PostgresError {
    init(result: OpaquePointer, connection: OpaquePointer) {
        func field(_ code: Character) -> String? {
            guard let pointer = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: pointer)
        }
        let sqlState = field("C")
        let broken = PQstatus(connection) != CONNECTION_OK
        self.init(
            kind: broken && sqlState == nil ? .connection : .server,
            sqlState: sqlState,
            serverMessage: field("M") ?? String(cString: PQresultErrorMessage(result)),
            detail: field("D"),
            hint: field("H"),
            table: field("t"),
            column: field("c"),
            constraint: field("n")
        )
        if broken, let sqlState, sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") { kind = .connection }
        severity = field("V")
        schema = field("s")
        dataType = field("d")
        position = field("P").flatMap { Int($0) }
    }

    init(connectionFailureOf conn: OpaquePointer) {
        self = .connection(Connection.errorMessage(conn))
    }
}

/// Calls `body` with NULL-terminated C arrays of the given strings (for `PQconnectdbParams`).
func withCStringArrays<R>(
    _ first: [String], _ second: [String],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R
) -> R {
    let a = first.map { strdup($0) }
    let b = second.map { strdup($0) }
    defer {
        a.forEach { free($0) }
        b.forEach { free($0) }
    }
    let pa = a.map { UnsafePointer($0) } + [nil]
    let pb = b.map { UnsafePointer($0) } + [nil]
    return pa.withUnsafeBufferPointer { ka in
        pb.withUnsafeBufferPointer { kb in body(ka.baseAddress!, kb.baseAddress!) }
    }
}
