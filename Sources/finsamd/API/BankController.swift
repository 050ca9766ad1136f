import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's bank files and the payments waiting to be matched (`/api/v1/federations/{federation}/…`):
/// uploading a BgMax or camt.053/054 file (the file is the request's body, `?name=` its name), the files read so
/// far, the unmatched queue, and matching a waiting payment to one invoice or splitting it over several.
struct BankController {
    let database: Database

    /// A bank file of a month is well under a megabyte; ten leaves room for a year's camt.053.
    static let uploadLimit = 10 << 20

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/bank-files", use: files)
        routes.post("federations/{federation}/bank-files", use: upload)
        routes.get("federations/{federation}/bank-payments/unmatched", use: unmatched)
        routes.post("federations/{federation}/bank-payments/{payment}/match", use: match)
        routes.post("federations/{federation}/bank-payments/{payment}/settle", use: settle)
    }

    /// A voucher already posted whose lines on the bank account are the payment's amount (a deduction negative).
    struct SettleRequest: Decodable {
        /// `A-12`.
        var voucher: String
        var year: Int
    }

    struct MatchRequest: Decodable {
        struct Part: Decodable {
            /// `2024-17`.
            var invoice: String
            /// Required when the payment is split; the whole payment without it.
            var amount: Money?
        }
        var parts: [Part]
    }

    @Sendable func files(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let found = try await BankPayments(database).files(in: federation, by: try context.user())
        return try APIBody.list(found, key: { Int($0.id) }, request: request, csvName: "bankfiler-\(federation)", context: context)
    }

    /// Reads the file, matches what it can and books it; 201 with the summary, 200 when the file was read before.
    @Sendable func upload(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let name = try query.required("name", query.string("name"), example: "bgmax-2026-10-31.txt")
        let bytes = try await APIBody.upload(from: request, limit: Self.uploadLimit)
        let summary = try await BankFileImport(database).read(bytes, fileName: name, into: try context.federation, by: try context.user())
        return try APIBody.json(summary, status: summary.alreadyImported ? .ok : .created, context: context)
    }

    @Sendable func unmatched(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let found = try await BankPayments(database).unmatched(in: federation, by: try context.user())
        return try APIBody.list(found, key: { Int($0.id) }, request: request, csvName: "att-stamma-av-\(federation)", context: context)
    }

    @Sendable func match(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let payment = Int64(try context.pathNumber("payment"))
        let body = try await APIBody.decode(MatchRequest.self, from: request, context: context)
        let parts = try body.parts.enumerated().map { index, part -> (invoice: InvoiceIdentifier, amount: Money?) in
            guard let (year, number) = APIBody.invoiceNumber(part.invoice) else {
                throw ServiceError(.invalid, "fältet parts[\(index)].invoice: \(part.invoice) är ingen faktura (ÅÅÅÅ-NUMMER)",
                    code: "request.body-invalid", arguments: ["field": "parts[\(index)].invoice"])
            }
            return (.number(year: year, number: number), part.amount)
        }
        let matched = try await BankPayments(database).match(payment, to: parts, in: try context.federation, by: try context.user())
        return try APIBody.json(matched, context: context)
    }

    @Sendable func settle(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let payment = Int64(try context.pathNumber("payment"))
        let body = try await APIBody.decode(SettleRequest.self, from: request, context: context)
        let voucher = try APIBody.required(
            try APIBody.field(body.voucher, "voucher", as: "en verifikation (SERIE-NUMMER, t.ex. A-12)") { VoucherReference($0, year: body.year) },
            "voucher")
        let settled = try await BankPayments(database).settle(payment, with: voucher, in: try context.federation, by: try context.user())
        return try APIBody.json(settled, context: context)
    }
}
