public import FinsamService
import Foundation
import Logging
public import Hummingbird

/// A service error as the API answers it: RFC 9457 problem details (`application/problem+json`). The error's stable
/// code is the `type` (`urn:finsam:problem:disbursement.own`), its Swedish message the `title`, what it names
/// (`federation`, `member`, `field` …) the `arguments`; the status follows from its kind. The underlying database
/// error goes to the log only, never to the client.
public struct ProblemDetails: Codable, Equatable, Sendable {
    public var type: String
    public var title: String
    public var status: Int
    /// The request the problem belongs to (its path).
    public var instance: String?
    public var arguments: [String: String]?

    public init(_ error: ServiceError, instance: String?, status: Int? = nil) {
        type = "urn:finsam:problem:" + error.code
        title = error.message
        self.status = status ?? Int(Self.status(for: error.kind).code)
        self.instance = instance
        arguments = error.arguments.isEmpty ? nil : error.arguments
    }

    /// Bad input 400, not signed in 401, no right 403, unknown (or not visible to the user) 404, a conflict 409, and the database
    /// unavailable 503: never a 500 for what a client sent.
    public static func status(for kind: ServiceError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalid: .badRequest
        case .forbidden: .forbidden
        case .unauthenticated: .unauthorized
        case .notFound: .notFound
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        }
    }

    /// Too many failed sign-ins lately: 429, and how long to wait.
    static func tooManyAttempts(retryAfter seconds: Int, instance: String?) -> ProblemDetails {
        ProblemDetails(
            ServiceError(.forbidden, "för många misslyckade inloggningar: försök igen om \(seconds) s", code: "session.throttled",
                arguments: ["retryAfter": String(seconds)]), instance: instance, status: 429)
    }

    /// Seconds a client waits before it tries again when the database is unavailable: a restart takes a few.
    static let retryAfterSeconds = 5

    /// The answer; `Retry-After` with `retryAfter` seconds, or for 503 the seconds a restart takes.
    func response(retryAfter: Int? = nil) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        if let wait = retryAfter ?? (status == 503 ? Self.retryAfterSeconds : nil) { headers[.retryAfter] = String(wait) }
        if status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"finsam\"" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(self))))
    }
}

/// Answers every service error a route throws with its problem details, and logs the underlying error under the
/// error's code (the client sees the code and the message only).
public struct ProblemDetailsMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServiceError {
            return try Self.answer(error, to: request, logger: context.logger)
        }
    }

    /// The problem details of `error`, its underlying error logged (the client sees the code and the message only).
    static func answer(_ error: ServiceError, to request: Request, logger: Logger) throws -> Response {
        if let underlying = error.underlying {
            // The database away is the operator's concern; a refusal of what a client sent is not.
            logger.log(level: error.kind == .unavailable ? .error : .info, "service error",
                metadata: ["code": "\(error.code)", "underlying": "\(underlying)"])
        }
        return try ProblemDetails(error, instance: request.uri.path).response()
    }
}

