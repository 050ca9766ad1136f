import FinsamService
import Hummingbird

/// Counts every request by its route's pattern, method and final status, and records how long the answer took
/// (until its body is written). The outermost middleware but the log, so the status is the one the client gets,
/// problem details included.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: DaemonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            let status = Int(response.status.code)
            let route = context.endpointPath ?? "unmatched"
            let metrics = self.metrics
            let method = request.method.rawValue
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                try await body.write(writer)
                metrics.requestFinished(route: route, method: method, status: status, duration: ContinuousClock.now - start)
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            metrics.requestFinished(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status,
                duration: ContinuousClock.now - start)
            throw error
        }
    }
}
