import Hummingbird
import Synchronization

/// The API's routes under `/api/v1`, registered through here so that the list of what the daemon answers can be
/// compared with what its OpenAPI document (`openapi.json`) promises: `APIContractTests` checks both ways.
final class DocumentedRoutes {
    typealias Handler = @Sendable (Request, FinsamRequestContext) async throws -> Response

    static let prefix = "/api/v1"
    private let group: RouterGroup<FinsamRequestContext>
    private let registered = Mutex<[String]>([])

    init(_ router: Router<FinsamRequestContext>) {
        group = router.group(RouterPath(Self.prefix))
    }

    /// `GET /api/v1/federations/{federation}/disbursements` …, in the order they were added.
    var operations: [String] { registered.withLock { $0 } }

    func get(_ path: String, use handler: @escaping Handler) { add(.get, path, handler) }
    func post(_ path: String, use handler: @escaping Handler) { add(.post, path, handler) }
    func put(_ path: String, use handler: @escaping Handler) { add(.put, path, handler) }
    func patch(_ path: String, use handler: @escaping Handler) { add(.patch, path, handler) }
    func delete(_ path: String, use handler: @escaping Handler) { add(.delete, path, handler) }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        registered.withLock { $0.append("\(method.rawValue) \(Self.prefix)/\(path)") }
        group.on(RouterPath(path), method: method, use: handler)
    }
}
