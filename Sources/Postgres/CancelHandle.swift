internal import CLibPQ
import Synchronization

/// Sends a cancel request for the query that is running on a connection, from any thread.
///
/// Why a lock: a cancel request is processed by the server asynchronously. If it arrived after the query had
/// finished, it could cancel the *next* one. The query's end (`finish`) and the request (`cancel`) take the same
/// lock, and `PQcancel` returns only once the server has taken the request, so a request is only ever sent while
/// the query it targets is in flight; one that reaches an idle backend is ignored by the server.
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
    }

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
        state.withLock { state in
            guard state.inFlight, state.reason == nil, let handle = state.cancel else { return }
            state.reason = reason
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(handle.raw, &message, Int32(message.count))
        }
    }

    deinit {
        state.withLock { state in
            if let handle = state.cancel { PQfreeCancel(handle.raw) }
        }
    }
}

