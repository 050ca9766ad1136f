import Foundation

/// A serial executor backed by one dedicated OS thread.
///
/// libpq calls block. Swift's cooperative pool has only as many threads as cores (two here), so a blocking
/// call there stalls unrelated tasks. Every `Connection` actor runs on its own `ConnectionThread`: its
/// isolated methods, and closures given an `isolated Connection`, execute here, where blocking is harmless.
final class ConnectionThread: SerialExecutor, @unchecked Sendable {
    // @unchecked Sendable: `jobs` and `stopping` are only read or written while `condition` is locked;
    // `name` is immutable. The thread itself owns nothing else.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopping = false
    private var threadID: pthread_t?
    let name: String

    init(name: String) {
        self.name = name
        let thread = Thread { [self] in self.run() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread end once the jobs already enqueued have run.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    /// True when called on this executor's own thread.
    var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        guard let threadID else { return false }
        return pthread_equal(threadID, pthread_self()) != 0
    }

    private func run() {
        condition.lock()
        threadID = pthread_self()
        condition.unlock()
        while true {
            condition.lock()
            while head == jobs.count && !stopping {
                condition.wait()
            }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}
