import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// The economy office's bank page (`/f/{federation}/bank`): reading a bank file (BgMax or camt.053/054, uploaded
/// from the browser), the payments waiting in the unmatched queue, each with a form to match it to an invoice (or
/// split it over up to three) and one to settle it with a voucher already posted, and the files read so far. Each
/// action is the API's service call as the signed-in person; a refusal shows the page again with the reason.
struct BankPages {
    let pages: PageRenderer
    let database: Database

    /// How many invoices one payment can be split over from the page (the API takes any number).
    static let splitParts = 3

    func addRoutes(to router: Router<FinsamRequestContext>) {
        router.get("/f/{federation}/bank", use: show)
        router.post("/f/{federation}/bank/fil", use: upload)
        router.post("/f/{federation}/bank/{payment}/koppla", use: match)
        router.post("/f/{federation}/bank/{payment}/reglera", use: settle)
    }

    @Sendable func show(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            try await page(context: context, notice: request.uri.queryParameters["klar"].map { Self.notice(String($0)) } ?? nil)
        }
    }

    static func notice(_ code: String) -> String? {
        // Only invoice numbers are written back from the address, nothing else it may carry.
        if code.hasPrefix("kopplad-") {
            let invoices = code.dropFirst(8).split(separator: ",").compactMap { APIBody.invoiceNumber(String($0)) }.map { "\($0.year)-\($0.number)" }
            guard !invoices.isEmpty else { return nil }
            return "Betalningen är kopplad till \(invoices.count == 1 ? "faktura" : "fakturorna") \(invoices.joined(separator: ", ")) och bokförd."
        }
        if code == "reglerad" { return "Betalningen är reglerad med verifikationen." }
        return nil
    }

    func page(context: FinsamRequestContext, notice: String? = nil, error: String? = nil, summary: BankFileImportSummary? = nil,
        status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.user()
        let federation = try await Federations(database).find(try context.federation, by: user)
        let payments = BankPayments(database)
        let waiting = try await payments.unmatched(in: federation.code, by: user)
        let files = try await payments.files(in: federation.code, by: user)
        let open = try await Payments(database).openItems(in: federation.code, at: .today, by: user).filter { $0.remaining > .zero }
        var values = PageErrors.layout(title: "Bankbetalningar", context: context)
        values.merge([
            "federation": federation.code, "federationName": federation.name,
            "waitingCount": waiting.count, "hasWaiting": !waiting.isEmpty,
            "waiting": waiting.map { payment -> [String: Any] in
                var row: [String: Any] = [
                    "paymentID": payment.id, "paidOn": "\(payment.paidOn)",
                    "paymentAmount": PageNumber.kronor(payment.kind == .deduction ? -payment.amount : payment.amount, whole: false),
                    "isDeduction": payment.kind == .deduction,
                    "reference": ([payment.reference].compactMap { $0 } + payment.extraReferences).joined(separator: ", "),
                    "reason": payment.unmatchedReason.map { $0.capitalizedFirst } ?? "",
                    "parts": (1...Self.splitParts).map { ["part": $0, "paymentOfPart": payment.id] },
                ]
                if payment.kind == .deduction { row["deduction"] = true }
                // Only what the bank said: an empty value would still open its section.
                let payer = [payment.payerName, payment.payerOrganisationNumber].compactMap { $0 }.joined(separator: ", ")
                if !payer.isEmpty { row["payer"] = payer }
                if !payment.information.isEmpty { row["information"] = payment.information.joined(separator: " ") }
                return row
            },
            "files": files.map { file -> [String: Any] in
                ["fileName": file.fileName, "format": file.format, "importedAt": DirectorPages.moment(file.importedAt),
                 "importedBy": file.importedBy, "deposits": file.deposits, "payments": file.payments, "fileWaiting": file.waiting,
                 "fileAmount": PageNumber.kronor(file.amount, whole: false)]
            },
            "hasFiles": !files.isEmpty,
            // Suggestions for the invoice fields: the open invoices, with whom and how much is left.
            "openInvoices": open.map {
                ["openInvoice": "\($0.year)-\($0.number)", "openInvoiceText": "\($0.memberName), \($0.period), \(PageNumber.kronor($0.remaining, whole: false)) kr kvar"]
            },
            "year": CalendarDate.today.year,
        ]) { $1 }
        if let summary {
            values["summary"] = [
                "summaryFile": summary.fileName,
                "summaryText": summary.alreadyImported ? "Filen är redan inläst; inget gjordes." : try Self.describe(summary),
            ] as [String: Any]
        }
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return pages.page("bank", values, status: status)
    }

    /// `2 insättningar, 1 betalning kopplad och bokförd (1 500,00 kr), 1 väntar på avstämning.`
    static func describe(_ summary: BankFileImportSummary) throws -> String {
        let matched = summary.matched
        let booked = try summary.bookedAmount
        var text = summary.deposits == 1 ? "1 insättning" : "\(summary.deposits) insättningar"
        if summary.depositsAlreadyImported > 0 { text += " (\(summary.depositsAlreadyImported) lästes in tidigare)" }
        text += ", " + (matched.count == 1 ? "1 betalning kopplad och bokförd" : "\(matched.count) betalningar kopplade och bokförda")
        text += " (\(PageNumber.kronor(booked, whole: false)) kr), \(summary.unmatched.count) väntar på avstämning."
        return text
    }

    /// A form of the page: its use case done, then the page again (303) saying what became of it.
    func act(_ request: Request, context: FinsamRequestContext,
        _ action: @Sendable ([String: String], String, User) async throws -> String
    ) async throws -> Response {
        try await PageAction.handle(pages, request, context: context, again: { error, status in
            try await page(context: context, error: error, status: status)
        }) { fields, federation, user in
            PageRenderer.redirect(to: "/f/\(federation)/bank?klar=\(try await action(fields, federation, user))")
        }
    }

    @Sendable func match(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await act(request, context: context) { fields, federation, user in
            let payment = Int64(try context.pathNumber("payment"))
            let parts = try Self.parts(fields)
            _ = try await BankPayments(database).match(payment, to: parts.map { (.number(year: $0.year, number: $0.number), $0.amount) },
                in: federation, by: user)
            return "kopplad-" + parts.map { "\($0.year)-\($0.number)" }.joined(separator: ",")
        }
    }

    /// The invoices a payment is matched to, `faktura-1` … with `belopp-1` …: one invoice takes the whole payment
    /// unless an amount is given; a split gives each its amount.
    static func parts(_ fields: [String: String]) throws -> [(year: Int, number: Int, amount: Money?)] {
        var parts: [(year: Int, number: Int, amount: Money?)] = []
        for index in 1...splitParts {
            let invoiceText = (fields["faktura-\(index)"] ?? "").trimmingCharacters(in: .whitespaces)
            let amountText = (fields["belopp-\(index)"] ?? "").trimmingCharacters(in: .whitespaces)
            if invoiceText.isEmpty {
                guard amountText.isEmpty else {
                    throw ServiceError(.invalid, "belopp \(index) saknar faktura", code: "request.form-invalid", arguments: ["field": "faktura-\(index)"])
                }
                continue
            }
            guard let (year, number) = APIBody.invoiceNumber(invoiceText) else {
                throw ServiceError(.invalid, "faktura \(index): \(invoiceText) är ingen faktura (ÅÅÅÅ-NUMMER, t.ex. 2026-11)",
                    code: "request.form-invalid", arguments: ["field": "faktura-\(index)"])
            }
            var amount: Money?
            if !amountText.isEmpty {
                guard let parsed = Money(parsing: amountText) else {
                    throw ServiceError(.invalid, "belopp \(index): \(amountText) är inget belopp i kronor (t.ex. 1 500,50)",
                        code: "request.form-invalid", arguments: ["field": "belopp-\(index)"])
                }
                amount = parsed
            }
            parts.append((year, number, amount))
        }
        return parts
    }

    @Sendable func settle(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await act(request, context: context) { fields, federation, user in
            let payment = Int64(try context.pathNumber("payment"))
            let yearText = (fields["ar"] ?? "").trimmingCharacters(in: .whitespaces)
            guard let year = Int(yearText), (2000...2100).contains(year) else {
                throw ServiceError(.invalid, "år: \(yearText) är inget år", code: "request.form-invalid", arguments: ["field": "ar"])
            }
            let text = (fields["verifikation"] ?? "").trimmingCharacters(in: .whitespaces)
            guard let voucher = VoucherReference(text, year: year) else {
                throw ServiceError(.invalid, "verifikation: \(text) är ingen verifikation (SERIE-NUMMER, t.ex. A-12)",
                    code: "request.form-invalid", arguments: ["field": "verifikation"])
            }
            _ = try await BankPayments(database).settle(payment, with: voucher, in: federation, by: user)
            return "reglerad"
        }
    }

    /// The bank file from the browser: read, matched and booked as the API's upload does; the page then shows what
    /// the file did (not a redirect: the summary is this request's).
    @Sendable func upload(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let form = try await PageForm.checkedUpload(of: request, context: context, limit: BankController.uploadLimit)
            guard let file = form.files["fil"], !file.bytes.isEmpty else {
                return try await page(context: context, error: "Välj en bankfil att läsa in.", status: .badRequest)
            }
            return try await PageAction.refusalShown(again: { error, status in
                try await page(context: context, error: error, status: status)
            }) {
                let summary = try await BankFileImport(database).read(file.bytes, fileName: file.name.isEmpty ? "bankfil" : file.name,
                    into: try context.federation, by: try context.user())
                return try await page(context: context, summary: summary, status: summary.alreadyImported ? .ok : .created)
            }
        }
    }
}
