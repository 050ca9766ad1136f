internal import CLibPQ
import Dispatch
import Synchronization

/// Sends a cancel request for the query that is running on a connection, from any thread.
///
/// Why a lock: a cancel request is processed by the server asynchronously. If it arrived after the query had
/// finished, it could cancel the *next* one. The query's end (`finish`) and the request (`cancel`) take the same
/// lock, and `PQcancel` returns only once the server has taken the request, so a request is only ever sent while
/// the query it targets is in flight. One that reaches the backend before the query does is ignored by the server,
/// so the request is repeated a few times while that same query is still in flight (`repeats`).
final class CancelHandle: Sendable {
    enum Reason: Sendable { case timeout, task }

    /// A `PGcancel*`.
    /// @unchecked Sendable: the pointer is only dereferenced by libpq while `state`'s mutex is held, and freed
    /// there too; libpq documents PQcancel as safe to call from another thread than the connection's.
    struct CancelPointer: @unchecked Sendable {
        let raw: OpaquePointer
    }

    private struct State {
        var cancel: CancelPointer?
        var inFlight = false
        var reason: Reason?
        /// Counts queries, so that a repeated request goes only to the query it was meant for.
        var generation: UInt64 = 0
    }

    /// When a request is sent again. A request that reaches the server in the moment between `start` and the
    /// query's arrival finds the backend idle and is dropped; the query would then run to its end. Sending it again
    /// while the same query is still in flight closes that window (a request to a query being cancelled is harmless).
    static let repeats: [Duration] = [.milliseconds(50), .milliseconds(250), .seconds(1), .seconds(3)]

    // Mutex<State> holds a raw pointer; the pointer is only used while the mutex is held.
    private let state = Mutex(State())

    func replace(_ newHandle: OpaquePointer?) {
        let wrapped = newHandle.map(CancelPointer.init(raw:))
        state.withLock { state in
            if let old = state.cancel { PQfreeCancel(old.raw) }
            state.cancel = wrapped
        }
    }

    func start() {
        state.withLock { state in
            state.inFlight = true
            state.reason = nil
            state.generation &+= 1
        }
    }

    /// Ends the query; returns why it was cancelled, if it was.
    func finish() -> Reason? {
        state.withLock { state in
            state.inFlight = false
            return state.reason
        }
    }

    func cancel(_ reason: Reason) {
        let generation: UInt64? = state.withLock { state in
            guard state.inFlight, state.reason == nil, let handle = state.cancel else { return nil }
            state.reason = reason
            Self.send(handle)
            return state.generation
        }
        guard let generation else { return }
        for delay in Self.repeats {
            let (seconds, attoseconds) = delay.components
            let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
                state.withLock { state in
                    guard state.inFlight, state.generation == generation, let handle = state.cancel else { return }
                    Self.send(handle)
                }
            }
        }
    }

    private static func send(_ handle: CancelPointer) {
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(handle.raw, &message, Int32(message.count))
    }

    deinit {
        state.withLock { state in
            if let handle = state.cancel { PQfreeCancel(handle.raw) }
        }
    }
}

