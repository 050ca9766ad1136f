import FinsamService
import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore

/// A form a page posts (`application/x-www-form-urlencoded`), read with its limit; every form of a signed-in page
/// carries the session's CSRF token in the hidden field `csrf`, and one without it, or with another, is refused
/// before anything is done.
enum PageForm {
    static let limit = 64 * 1024

    static func fields(of request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: limit)
        do {
            return try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: buffer))
        } catch {
            throw ServiceError(.invalid, "formuläret kunde inte läsas", code: "request.form-invalid")
        }
    }

    /// The fields of a signed-in person's form, after checking its CSRF token against their session.
    static func checkedFields(of request: Request, context: FinsamRequestContext) async throws -> [String: String] {
        let signedIn = try browserSession(context)
        let fields = try await fields(of: request)
        try checkToken(fields["csrf"], of: signedIn)
        return fields
    }

    /// The session of a signed-in browser: a form is never posted with an API token.
    static func browserSession(_ context: FinsamRequestContext) throws -> SignedIn {
        guard let signedIn = context.signedIn, signedIn.byCookie else {
            throw ServiceError(.unauthenticated, "logga in först", code: "session.missing")
        }
        return signedIn
    }

    static func checkToken(_ token: String?, of signedIn: SignedIn) throws {
        guard let token, token == Sessions.csrfToken(for: signedIn.secret) else {
            throw ServiceError(.forbidden, "formuläret saknar inloggningens CSRF-nyckel; ladda om sidan och försök igen", code: "csrf.missing")
        }
    }

    /// A form with a file (`multipart/form-data`): its text fields and its files, each with the name the browser
    /// gave it. The body is read up to `limit`; the CSRF field is checked as for any other form.
    struct Upload {
        var fields: [String: String] = [:]
        var files: [String: (name: String, bytes: [UInt8])] = [:]
    }

    static func checkedUpload(of request: Request, context: FinsamRequestContext, limit: Int) async throws -> Upload {
        let signedIn = try browserSession(context)
        let upload = try await multipart(of: request, limit: limit)
        try checkToken(upload.fields["csrf"], of: signedIn)
        return upload
    }

    static func multipart(of request: Request, limit: Int) async throws -> Upload {
        let unreadable = ServiceError(.invalid, "formuläret med filen kunde inte läsas", code: "request.form-invalid")
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = parameter("boundary", in: type), !boundary.isEmpty
        else { throw unreadable }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch {
            throw ServiceError(.invalid, "filen är större än \(limit / (1 << 20)) MiB", code: "request.too-large", arguments: ["limit": String(limit)])
        }
        // The parser calls back part by part: its headers, its body in pieces, its end.
        var upload = Upload()
        var headers: [(String, String)] = []
        var bytes: [UInt8] = []
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { buffer in bytes.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            defer { headers = []; bytes = [] }
            guard let disposition = headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1,
                let name = parameter("name", in: disposition) else { return }
            if let fileName = parameter("filename", in: disposition) {
                upload.files[name] = (fileName, bytes)
            } else {
                upload.fields[name] = String(decoding: bytes, as: UTF8.self)
            }
        }
        do {
            try parser.execute(body)
        } catch {
            throw unreadable
        }
        return upload
    }

    /// A parameter of a header value (`form-data; name="fil"; filename="bgmax.txt"`, `multipart/form-data; boundary=…`),
    /// quoted or not.
    static func parameter(_ key: String, in value: String) -> String? {
        for part in value.split(separator: ";").dropFirst() {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard let equals = pair.firstIndex(of: "="), pair[..<equals].lowercased() == key.lowercased() else { continue }
            var text = pair[pair.index(after: equals)...]
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
            return String(text)
        }
        return nil
    }

    /// Whether a browser says the request comes from another site (`Sec-Fetch-Site`, or an `Origin` that is not
    /// this host): the sign-in form, which has no session yet to carry a token, refuses such a post.
    static func isCrossSite(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" { return true }
        if let origin = request.headers[.origin], origin != "null", let authority = request.head.authority {
            guard let url = URL(string: origin), let originHost = url.host else { return true }
            return "\(originHost)\(url.port.map { ":\($0)" } ?? "")" != authority
        }
        return false
    }
}
