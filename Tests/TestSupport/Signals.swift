import Synchronization

/// A one-shot signal between tasks of a test: `wait()` returns once `signal()` has been called.
public final class Signal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init() {
        (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    public func signal() { continuation.yield() }

    public func wait() async {
        for await _ in stream { return }
    }
}

/// A counter several tasks may bump.
public final class Counter: Sendable {
    private let value = Mutex(0)
    public init() {}
    @discardableResult public func increment() -> Int { value.withLock { $0 += 1; return $0 } }
    public var current: Int { value.withLock { $0 } }
}
