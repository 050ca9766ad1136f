import Foundation
import Synchronization

/// A serial executor backed by one dedicated OS thread.
///
/// libpq calls block. Swift's cooperative pool has only as many threads as cores (two here), so a blocking
/// call there stalls unrelated tasks. Every `Connection` actor runs on its own `ConnectionThread`: its
/// isolated methods, and closures given an `isolated Connection`, execute here, where blocking is harmless.
final class ConnectionThread: SerialExecutor, @unchecked Sendable {
    // @unchecked Sendable: `jobs`, `head` and `stopping` are only read or written while `condition` is locked;
    // `threadID` is atomic and `name` immutable. The thread itself owns nothing else.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopping = false
    /// The thread's pthread id once it runs (0 before): written once by the thread itself, read by `isCurrent`.
    private let threadID = Atomic<UInt>(0)
    let name: String

    /// `name` shows in `top -H`, `perf` and debuggers; Linux keeps at most 15 bytes of it.
    init(name: String) {
        precondition(name.utf8.count <= 15, "Linux thread names are at most 15 bytes")
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
        let id = threadID.load(ordering: .acquiring)
        return id != 0 && pthread_equal(pthread_t(id), pthread_self()) != 0
    }

    private func run() {
        threadID.store(UInt(pthread_self()), ordering: .releasing)
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
