internal import CLibPQ
import Foundation
public import Logging
import Synchronization

/// A notification sent with `NOTIFY channel, 'payload'` (or `pg_notify`).
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The backend process that sent it.
    public var senderPID: Int
}

/// LISTEN on a dedicated connection, delivering notifications as async sequences.
///
/// The connection lives on its own thread, which waits on the socket (and on a wake-up pipe for new
/// LISTEN/UNLISTEN requests), so a notification is delivered as soon as it arrives. When the server goes away the
/// thread reconnects and listens again on every channel; notifications sent while it was away are lost, as they
/// are for any PostgreSQL listener, so a consumer should re-read state after `reconnected`-style gaps if it matters.
public final class PostgresListener: Sendable {
    private enum Command {
        case listen(String, CheckedContinuation<Void, any Error>)
        case unlisten(String)
    }

    private struct State {
        var commands: [Command] = []
        var subscribers: [String: [Int: AsyncStream<PostgresNotification>.Continuation]] = [:]
        var nextID = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let logger: Logger

    private init(wakeRead: Int32, wakeWrite: Int32, logger: Logger) {
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
        self.logger = logger
    }

    /// Connects and starts the listening thread.
    public static func start(
        _ configuration: ConnectionConfiguration, logger: Logger = Logger(label: "finsam.postgres.listener")
    ) async throws -> PostgresListener {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw PostgresError.connection("could not create a wake-up pipe") }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        let listener = PostgresListener(wakeRead: fds[0], wakeWrite: fds[1], logger: logger)
        try await withCheckedThrowingContinuation { (started: CheckedContinuation<Void, any Error>) in
            let thread = Thread { listener.run(configuration, started: started) }
            thread.name = "postgres-listener"
            thread.start()
        }
        return listener
    }

    /// Starts listening on `channel`; the sequence ends when the listener closes. Dropping the sequence
    /// unsubscribes (and UNLISTENs when it was the channel's last subscriber).
    public func notifications(_ channel: String) async throws -> AsyncStream<PostgresNotification> {
        let (stream, continuation) = AsyncStream<PostgresNotification>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let (id, first) = try state.withLock { state throws(PostgresError) in
            guard !state.closed else { throw PostgresError.closed }
            state.nextID += 1
            let first = state.subscribers[channel, default: [:]].isEmpty
            state.subscribers[channel, default: [:]][state.nextID] = continuation
            return (state.nextID, first)
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(channel, id) }
        if first {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                enqueue(.listen(channel, done))
            }
        }
        return stream
    }

    /// Stops the thread and ends every sequence.
    public func close() {
        let subscribers = state.withLock { state in
            state.closed = true
            let all = state.subscribers.values.flatMap(\.values)
            state.subscribers.removeAll()
            return all
        }
        subscribers.forEach { $0.finish() }
        wake()
    }

    deinit {
        Foundation.close(wakeWrite)
    }

    private func unsubscribe(_ channel: String, _ id: Int) {
        let last = state.withLock { state -> Bool in
            guard state.subscribers[channel]?.removeValue(forKey: id) != nil else { return false }
            if state.subscribers[channel]?.isEmpty == true {
                state.subscribers[channel] = nil
                return !state.closed
            }
            return false
        }
        if last { enqueue(.unlisten(channel)) }
    }

    private func enqueue(_ command: Command) {
        state.withLock { $0.commands.append(command) }
        wake()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: The thread

    private func run(_ configuration: ConnectionConfiguration, started: CheckedContinuation<Void, any Error>) {
        defer { Foundation.close(wakeRead) }
        let pairs = configuration.keywordValuePairs
        guard let conn = withCStringArrays(pairs.map(\.0), pairs.map(\.1), { PQconnectdbParams($0, $1, 1) }),
            PQstatus(conn) == CONNECTION_OK
        else {
            started.resume(throwing: PostgresError.connection("the listener could not connect"))
            return
        }
        defer { PQfinish(conn) }
        started.resume()
        var listening: Set<String> = []

        while true {
            let (commands, closed) = state.withLock { state in
                let commands = state.commands
                state.commands.removeAll()
                return (commands, state.closed)
            }
            for command in commands {
                switch command {
                case .listen(let channel, let done):
                    if let error = execute(conn, "LISTEN \(quoteIdentifier(channel))") {
                        done.resume(throwing: error)
                    } else {
                        listening.insert(channel)
                        done.resume()
                    }
                case .unlisten(let channel):
                    _ = execute(conn, "UNLISTEN \(quoteIdentifier(channel))")
                    listening.remove(channel)
                }
            }
            if closed { return }

            var fds = [
                pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, 2, 1000)
            if fds[1].revents != 0 {
                var sink = [UInt8](repeating: 0, count: 64)
                while read(wakeRead, &sink, sink.count) > 0 {}
            }
            if fds[0].revents != 0 {
                if PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK {
                    reconnect(conn, channels: listening)
                    continue
                }
            }
            deliver(conn)
        }
    }

    private func deliver(_ conn: OpaquePointer) {
        while let notify = PQnotifies(conn) {
            let notification = PostgresNotification(
                channel: String(cString: notify.pointee.relname),
                payload: String(cString: notify.pointee.extra),
                senderPID: Int(notify.pointee.be_pid)
            )
            PQfreemem(notify)
            let targets = state.withLock { state in state.subscribers[notification.channel].map { Array($0.values) } ?? [] }
            for target in targets { target.yield(notification) }
        }
    }

    private func reconnect(_ conn: OpaquePointer, channels: Set<String>) {
        logger.warning("listener lost its connection; reconnecting")
        while !state.withLock({ $0.closed }) {
            PQreset(conn)
            if PQstatus(conn) == CONNECTION_OK {
                for channel in channels { _ = execute(conn, "LISTEN \(quoteIdentifier(channel))") }
                logger.info("listener reconnected", metadata: ["channels": "\(channels.count)"])
                return
            }
            var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            _ = poll(&fd, 1, 1000)
        }
    }

    private func execute(_ conn: OpaquePointer, _ sql: String) -> PostgresError? {
        guard let result = PQexec(conn, sql) else { return PostgresError(connectionFailureOf: conn) }
        defer { PQclear(result) }
        if PQresultStatus(result) != PGRES_COMMAND_OK { return PostgresError(result: result, connection: conn) }
        return nil
    }
}
