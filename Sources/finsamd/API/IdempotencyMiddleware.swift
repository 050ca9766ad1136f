import FinsamService
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// `Idempotency-Key` on the API's writes: a client that never saw the answer to a write sends it again with the same
/// key and gets the first answer back, the write done once; the same key with another request (method, address or
/// body) is a 409, as is a repeat while the first is still running. The keys and answers are the signed-in person's,
/// kept by the database (`IdempotentRequests`). An answer of 5xx is not kept: the client's repeat is done afresh.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = FinsamRequestContext

    static let header = HTTPField.Name("Idempotency-Key")!
    /// The largest body a write takes (a SIE file): a request is read whole to compare it with the first.
    static let bodyLimit = SIEController.uploadLimit

    let requests: IdempotentRequests

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = request.headers[Self.header], !SignedInMiddleware.isSafe(request.method), let signedIn = context.signedIn else {
            return try await next(request, context)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.bodyLimit)
        } catch {
            throw ServiceError(.invalid, "begäran är större än \(Self.bodyLimit >> 20) MiB", code: "request.too-large",
                arguments: ["limit": String(Self.bodyLimit)])
        }
        request.body = RequestBody(buffer: body)
        let fingerprint = IdempotentRequests.fingerprint(method: request.method.rawValue, target: request.uri.description, body: body.readableBytesView)
        switch try await requests.begin(key: key, fingerprint: fingerprint, secret: signedIn.secret) {
        case .replay(let status, let contentType, let stored):
            var headers = HTTPFields()
            if let contentType { headers[.contentType] = contentType }
            headers[.cacheControl] = "no-store"
            headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
            return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored)))
        case .mismatch:
            throw ServiceError(.conflict, "Idempotency-Key \"\(key)\" användes redan för en annan begäran", code: "request.idempotency-key-reused",
                arguments: ["field": "Idempotency-Key"])
        case .inProgress:
            throw ServiceError(.conflict, "en begäran med Idempotency-Key \"\(key)\" pågår redan", code: "request.idempotency-key-in-progress",
                arguments: ["field": "Idempotency-Key"])
        case .new:
            break
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as ServiceError {
            // Answered here, as ProblemDetailsMiddleware would, so that the refusal is kept under the key too.
            response = try ProblemDetailsMiddleware<Context>.answer(error, to: request, logger: context.logger)
        } catch {
            try? await requests.finish(key: key, secret: signedIn.secret, status: nil, contentType: nil, body: nil)
            throw error
        }
        return try await remember(response, key: key, secret: signedIn.secret)
    }

    /// Keeps the answer under the key (a 5xx gives the key up) and sends it on.
    private func remember(_ response: Response, key: String, secret: String) async throws -> Response {
        let collector = BodyCollector()
        try await response.body.write(collector)
        let bytes = collector.bytes
        let status = Int(response.status.code)
        try await requests.finish(key: key, secret: secret, status: status >= 500 ? nil : status,
            contentType: response.headers[.contentType], body: Data(bytes.readableBytesView))
        var answered = response
        answered.body = ResponseBody(byteBuffer: bytes)
        return answered
    }
}

/// Gathers a response's body to keep it. A final class: `ResponseBody.write` consumes the writer it is given, and
/// the bytes are read afterwards; the Mutex makes it Sendable.
private final class BodyCollector: ResponseBodyWriter, Sendable {
    private let buffer = Mutex(ByteBuffer())

    var bytes: ByteBuffer { buffer.withLock { $0 } }

    func write(_ part: ByteBuffer) async throws {
        buffer.withLock { $0.writeImmutableBuffer(part) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
