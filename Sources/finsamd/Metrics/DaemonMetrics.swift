import FinsamService
import Foundation
import Postgres
import Prometheus
import Synchronization

/// What the daemon tells Prometheus at `GET /metrics`: each request by route, method and status with its latency
/// (a histogram), the connection pools' use and waiting requests, and what the nightly job last did. Request
/// figures are counted as requests finish; the pools and the nightly job are read when Prometheus asks.
final class DaemonMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// Latency buckets from 1 ms to 10 s: a page should answer in tens of milliseconds, a SIE import may take seconds.
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    /// A finished request: `route` is the route's pattern (`/api/v1/federations/{federation}/disbursements`), never the
    /// address itself, so that the number of series stays bounded.
    func requestFinished(route: String, method: String, status: Int, duration: Duration) {
        let key = Series(route: route, method: method, status: status)
        let found = series.withLock { $0[key] }
        let (counter, histogram) = found ?? {
            let made = (
                registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))]),
                registry.makeDurationHistogram(
                    descriptor: Self.requestDuration, labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets))
            series.withLock { $0[key] = made }
            return made
        }()
        counter.increment()
        histogram.record(duration)
    }

    /// One series of requests: a route pattern, a method and a status (a bounded set, see `requestFinished`).
    private struct Series: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    /// The counter and histogram of each series seen, so that a request finds them without asking the registry, which
    /// builds and looks up their labels each time (a fortieth of the daemon's time on a fast route, perf).
    private let series = Mutex<[Series: (Counter, DurationHistogram)]>([:])

    /// The pools' state now: connections open, in use, and requests waiting for one.
    func observe(pool: ConnectionPool, named name: String) {
        let statistics = pool.statistics
        registry.makeGauge(descriptor: Self.poolOpen, labels: [("pool", name)]).set(Double(statistics.open))
        registry.makeGauge(descriptor: Self.poolInUse, labels: [("pool", name)]).set(Double(statistics.open - statistics.idle))
        registry.makeGauge(descriptor: Self.poolWaiting, labels: [("pool", name)]).set(Double(statistics.waiting))
        registry.makeGauge(descriptor: Self.poolMaximum, labels: [("pool", name)]).set(Double(pool.options.maximumConnections))
    }

    /// The nightly job's last run: when, what it read and rejected, how many federations differed, whether it failed.
    func observe(nightly health: NightlyHealth) {
        registry.makeGauge(descriptor: Self.nightlyLastRun).set(health.lastRunAt?.timeIntervalSince1970 ?? 0)
        registry.makeGauge(descriptor: Self.nightlyNextRun).set(health.nextRunAt?.timeIntervalSince1970 ?? 0)
        registry.makeGauge(descriptor: Self.nightlyFilesRead).set(Double(health.filesRead))
        registry.makeGauge(descriptor: Self.nightlyFilesRejected).set(Double(health.filesRejected))
        registry.makeGauge(descriptor: Self.nightlyChecked).set(Double(health.federationsChecked))
        registry.makeGauge(descriptor: Self.nightlyDiffering).set(Double(health.federationsDiffering))
        registry.makeGauge(descriptor: Self.nightlyFailed).set(health.failure == nil ? 0.0 : 1.0)
    }

    /// The text Prometheus reads.
    func exposition() -> [UInt8] { registry.emitToBuffer() }

    // Computed: MetricNameDescriptor is not Sendable, so it cannot be a stored static.
    private static func describe(_ name: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "finsamd", metricName: name, unitName: unit, helpText: help)
    }

    static var requests: MetricNameDescriptor { describe("http_requests", unit: "total", "Requests answered, by route, method and status.") }
    static var requestDuration: MetricNameDescriptor { describe("http_request_duration", unit: "seconds", "Time to answer a request, by route and method.") }
    static var poolOpen: MetricNameDescriptor { describe("database_pool_open", unit: "connections", "Connections the pool holds open.") }
    static var poolInUse: MetricNameDescriptor { describe("database_pool_in_use", unit: "connections", "Connections lent out to a request or job.") }
    static var poolWaiting: MetricNameDescriptor { describe("database_pool_waiting", unit: "requests", "Requests waiting for a connection.") }
    static var poolMaximum: MetricNameDescriptor { describe("database_pool_maximum", unit: "connections", "The most connections the pool opens.") }
    static var nightlyLastRun: MetricNameDescriptor { describe("nightly_last_run", unit: "timestamp_seconds", "When the nightly job last ran (0: not yet).") }
    static var nightlyNextRun: MetricNameDescriptor { describe("nightly_next_run", unit: "timestamp_seconds", "When the nightly job runs next.") }
    static var nightlyFilesRead: MetricNameDescriptor { describe("nightly_files_read", unit: "files", "Bank files the last nightly run read.") }
    static var nightlyFilesRejected: MetricNameDescriptor { describe("nightly_files_rejected", unit: "files", "Bank files the last nightly run rejected.") }
    static var nightlyChecked: MetricNameDescriptor { describe("nightly_federations_checked", unit: "federations", "Federations the last nightly run reconciled.") }
    static var nightlyDiffering: MetricNameDescriptor { describe("nightly_federations_differing", unit: "federations",
        "Federations whose books did not agree with their documents in the last nightly run.") }
    static var nightlyFailed: MetricNameDescriptor { describe("nightly_failed", unit: "bool", "1 when the last nightly run failed as a whole.") }
}
