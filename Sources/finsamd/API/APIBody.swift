import FinsamCore
import FinsamService
import Foundation
import Hummingbird
import NIOCore

/// Reading a request's JSON body and writing JSON answers, the same way on every route: a body that is not JSON,
/// too large or of the wrong shape is a 400 problem naming the field, never a 500.
enum APIBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: FinsamRequestContext) async throws -> T {
        guard let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("application/json") else {
            throw ServiceError(.invalid, "begäran ska vara JSON (Content-Type: application/json)", code: "request.not-json")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw ServiceError(.invalid, "begäran är större än \(context.maxUploadSize / 1024) KiB", code: "request.too-large",
                arguments: ["limit": String(context.maxUploadSize)])
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            let (field, problem) = describe(error)
            throw ServiceError(.invalid, field.isEmpty ? "begäran är ingen giltig JSON: \(problem)" : "fältet \(field): \(problem)",
                code: "request.body-invalid", arguments: field.isEmpty ? [:] : ["field": field])
        }
    }

    /// A JSON answer with the encoding every route uses: fields in the order the type declares them, dates in ISO
    /// 8601, written by `JSONStreamEncoder` (or, for a value it cannot stream, Foundation's encoder).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, context: FinsamRequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try jsonBytes(value))))
    }

    static func jsonBytes(_ value: some Encodable) throws -> [UInt8] {
        do {
            return try JSONStreamEncoder().encode(value)
        } catch is JSONStreamEncoder.OutOfOrder {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            return Array(try encoder.encode(value))
        }
    }

    /// A CSV answer (RFC 4180, UTF-8), offered for download under `name`.
    static func csv(_ table: CSVTable, name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8; header=present"
        headers[.contentDisposition] = "attachment; filename=\"\(name).csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: table.text)))
    }

    /// A read as JSON, or as CSV when the client asks for it (`name`: the file it is saved under).
    static func read(_ value: some Encodable & CSVTabular, request: Request, csvName name: String, context: FinsamRequestContext) throws -> Response {
        if try wantsCSV(request) { return csv(try value.csvTable(), name: name) }
        return try json(value, context: context)
    }

    /// A list: as CSV all of it, as JSON the page `?cursor=&limit=` asks for (`key`: the number it is ordered by).
    static func list<Item: Encodable & Sendable & CSVRow>(
        _ items: [Item], key: (Item) -> Int, request: Request, csvName name: String, context: FinsamRequestContext
    ) throws -> Response {
        if try wantsCSV(request) { return csv(try items.csvTable(), name: name) }
        return try json(try Pagination.page(items, key: key, query: QueryParameters(request: request)), context: context)
    }

    /// A document to download: a printable invoice, a Peppol or pain.001 file, a SIE file.
    static func document(_ bytes: [UInt8], contentType: String, name: String, inline: Bool = false) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentDisposition] = "\(inline ? "inline" : "attachment"); filename=\"\(name)\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A file sent as the request's body (SIE, a bank file), read as it streams in, up to `limit` bytes: beyond
    /// that the request is refused (413 would close the stream; the problem says how large a file may be).
    static func upload(from request: Request, limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await part in request.body {
            guard bytes.count + part.readableBytes <= limit else {
                throw ServiceError(.invalid, "filen är större än \(limit / (1 << 20)) MiB", code: "request.too-large",
                    arguments: ["limit": String(limit)])
            }
            bytes.append(contentsOf: part.readableBytesView)
        }
        guard !bytes.isEmpty else {
            throw ServiceError(.invalid, "begäran saknar fil (skicka filen som begärans innehåll)", code: "request.file-missing",
                arguments: ["field": "body"])
        }
        return bytes
    }

    /// An invoice as people write it, `2024-17`: its year and its number; nil for anything else.
    static func invoiceNumber(_ text: String) -> (year: Int, number: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let year = Int(parts[0]), (2000...2100).contains(year), let number = Int(parts[1]),
            (1...Int(Int32.max)).contains(number)
        else { return nil }
        return (year, number)
    }

    /// A field of a request's body written in a form of its own (a month, a percentage …), checked: nil when
    /// absent, a 400 problem naming the field when it is not of that form.
    static func field<T>(_ text: String?, _ name: String, as description: String, _ parse: (String) -> T?) throws -> T? {
        guard let text else { return nil }
        guard let value = parse(text) else {
            throw ServiceError(.invalid, "fältet \(name): \(text) är inte \(description)", code: "request.body-invalid",
                arguments: ["field": name])
        }
        return value
    }

    /// A month as `2024-07`.
    static func month(_ text: String?, _ name: String) throws -> YearMonth? {
        try field(text, name, as: "en månad (ÅÅÅÅ-MM)") { YearMonth($0) }
    }

    /// A percentage with at most two decimals, 0–100 (`50`, `12.5`, `12,5`), in hundredths of a percent.
    static func percent(_ text: String?, _ name: String) throws -> Int64? {
        try field(text, name, as: "en procentsats 0–100 med högst två decimaler") { text in
            Money(parsing: text).flatMap { (0...10_000).contains($0.öre) ? $0.öre : nil }
        }
    }

    /// A body field the request cannot do without.
    static func required<T>(_ value: T?, _ name: String) throws -> T {
        guard let value else {
            throw ServiceError(.invalid, "fältet \(name): saknas", code: "request.body-invalid", arguments: ["field": name])
        }
        return value
    }

    /// Whether the client asks for CSV: `?format=csv`, or `Accept: text/csv` without `?format=json`.
    static func wantsCSV(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters["format"].map(String.init) {
        case "csv": return true
        case "json": return false
        case nil: return request.headers[.accept]?.lowercased().contains("text/csv") == true
        case let other?:
            throw ServiceError(.invalid, "format=\(other) finns inte: json eller csv", code: "request.parameter-invalid",
                arguments: ["field": "format"])
        }
    }

    private static func describe(_ error: DecodingError) -> (field: String, problem: String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context): return (path(context.codingPath + [key]), "saknas")
        case .typeMismatch(_, let context): return (path(context.codingPath), "har fel typ")
        case .valueNotFound(_, let context): return (path(context.codingPath), "saknas")
        case .dataCorrupted(let context): return (path(context.codingPath), context.debugDescription)
        @unknown default: return ("", "okänt fel")
        }
    }
}

/// Query parameters, checked: a wrong value is a 400 problem naming the parameter.
struct QueryParameters {
    let request: Request

    func string(_ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    func parse<T>(_ name: String, as description: String, _ parse: (String) -> T?) throws -> T? {
        guard let text = string(name) else { return nil }
        guard let value = parse(text) else {
            throw ServiceError(.invalid, "\(name)=\(text) är inte \(description)", code: "request.parameter-invalid", arguments: ["field": name])
        }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        try parse(name, as: "ett heltal \(range.lowerBound)–\(range.upperBound)") { Int($0).flatMap { range.contains($0) ? $0 : nil } }
    }

    func date(_ name: String) throws -> CalendarDate? {
        try parse(name, as: "ett datum (ÅÅÅÅ-MM-DD)") { CalendarDate(iso: $0) }
    }

    func halfYear(_ name: String) throws -> HalfYear? {
        try parse(name, as: "ett halvår (t.ex. 2026H2)") { HalfYear($0) }
    }

    func flag(_ name: String) throws -> Bool {
        try parse(name, as: "true eller false") { ["true": true, "false": false][$0] } ?? false
    }

    /// A year, 2000–2100.
    func year(_ name: String = "year") throws -> Int? { try integer(name, in: 2000...2100) }

    /// A parameter the route cannot do without.
    func required<T>(_ name: String, _ value: T?, example: String) throws -> T {
        guard let value else {
            throw ServiceError(.invalid, "\(name) saknas (\(name)=\(example))", code: "request.parameter-missing", arguments: ["field": name])
        }
        return value
    }
}

/// A path parameter, checked.
extension FinsamRequestContext {
    func pathNumber(_ name: String) throws -> Int {
        guard let text = parameters.get(name), let number = Int(text), (1...Int(Int32.max)).contains(number) else {
            throw ServiceError(.notFound, "\(parameters.get(name) ?? "") är inget nummer", code: "request.path-invalid", arguments: ["field": name])
        }
        return number
    }

    /// The federation the address names (`/federations/{federation}/…`).
    var federation: String { get throws { try pathCode("federation") } }

    /// An invoice as the address names it: `2024-17` (year, number).
    func pathInvoice(_ name: String = "invoice") throws -> (year: Int, number: Int) {
        let text = parameters.get(name) ?? ""
        guard let (year, number) = APIBody.invoiceNumber(text) else {
            throw ServiceError(.notFound, "\(text) är ingen faktura (skriv ÅÅÅÅ-NUMMER, t.ex. 2024-17)", code: "request.path-invalid",
                arguments: ["field": name])
        }
        return (year, number)
    }

    func pathCode(_ name: String) throws -> String {
        guard let text = parameters.get(name), !text.isEmpty else {
            throw ServiceError(.notFound, "adressen saknar \(name)", code: "request.path-invalid", arguments: ["field": name])
        }
        return text
    }
}
