import FinsamService
import Hummingbird
import NIOCore
import Postgres

/// `GET /metrics`: the Prometheus text format. Like `/health` it shows no federation's data, only counts, so it needs
/// no sign-in; keep it on the internal network (deploy/README.md).
struct MetricsController {
    let metrics: DaemonMetrics
    let pools: [(name: String, pool: ConnectionPool)]
    let nightly: NightlyStatus?

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("metrics") { _, _ -> Response in
            for (name, pool) in pools { metrics.observe(pool: pool, named: name) }
            if let nightly { metrics.observe(nightly: await nightly.health) }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }
}
