import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// The economy office's invoices: the year's invoices with what is left to pay (`/f/{federation}/fakturor`), one
/// invoice's printable page as the member receives it (`/f/{federation}/fakturor/2026-11`), and the invoice run
/// (`/f/{federation}/fakturering`): a period and an issue date, a preview of what the run would issue, then the run.
struct InvoicePages {
    let pages: PageRenderer
    let database: Database

    func addRoutes(to router: Router<FinsamRequestContext>) {
        router.get("/f/{federation}/fakturor", use: list)
        router.get("/f/{federation}/fakturor/{invoice}", use: printable)
        router.get("/f/{federation}/fakturering", use: runForm)
        router.post("/f/{federation}/fakturering", use: run)
    }

    @Sendable func list(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let user = try context.user()
            let federation = try await Federations(database).find(try context.federation, by: user)
            let query = QueryParameters(request: request)
            let year = try query.year("ar") ?? CalendarDate.today.year
            let invoices = try await Invoices(database).list(of: federation.code, year: year, by: user).sorted { $0.number < $1.number }
            let open = Dictionary(try await Payments(database).openItems(in: federation.code, at: .today, by: user).map { ("\($0.year)-\($0.number)", $0) },
                uniquingKeysWith: { first, _ in first })
            var table = PageTable(caption: "Fakturor \(year)", labelHeading: "Faktura", columns: [
                ("Medlem", false), ("Avser", false), ("Förfaller", false), ("OCR", false),
                ("Belopp, kr", true), ("Kvar, kr", true), ("Status", false),
            ])
            for invoice in invoices {
                let key = "\(invoice.year)-\(invoice.number)"
                let balance = open[key]
                table.append(key, [
                    .text(invoice.memberName), .text(invoice.period), .text("\(invoice.dueDate)"),
                    .text(invoice.ocr), .kronor(invoice.total, whole: false), .kronor(balance?.remaining ?? .zero, whole: false),
                    .text((balance.map { $0.daysOverdue > 0 ? "\($0.status.swedishName), \($0.daysOverdue) dagar sen" : $0.status.swedishName } ?? "betald").capitalizedFirst),
                ], link: "/f/\(federation.code)/fakturor/\(key)")
            }
            table.append("Summa", [.text(""), .text(""), .text(""), .text(""),
                .kronor(try invoices.sum(\.total), whole: false), .kronor(try open.values.filter { $0.year == year }.sum(\.remaining), whole: false), .text("")],
                kind: .total)
            let issued = request.uri.queryParameters["utstallda"].flatMap { Int(String($0)) }
            let page = ReportPage(heading: "Fakturor \(year)", subtitle: "medlemsbidrag; klicka på en faktura för att skriva ut den",
                fields: [.init(name: "ar", label: "År", type: "number", value: "\(year)")],
                csv: ReportPages.api(federation, "invoices", [("year", "\(year)")]),
                warning: issued.map { $0 == 0 ? "Fakturakörningen utfärdade inga nya fakturor." : "Fakturakörningen utfärdade \($0) \($0 == 1 ? "faktura" : "fakturor")." },
                tables: invoices.isEmpty ? [] : [table], empty: invoices.isEmpty ? "Inga fakturor \(year)." : nil)
            return page.response(pages, context: context, federation: federation, action: request.uri.path)
        }
    }

    /// The invoice as the member receives it: the service's printable HTML, which carries its own print style inline;
    /// so its policy lets that style in and still no script, no frame and nothing from elsewhere.
    @Sendable func printable(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let invoice = try context.pathInvoice()
            let html = try await Invoices(database).html(number: invoice.number, year: invoice.year, in: try context.federation, by: try context.user())
            var headers = PageRenderer.securityHeaders()
            headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
    }

    @Sendable func runForm(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            try await runPage(context: context, period: nil, date: .today)
        }
    }

    func runPage(context: FinsamRequestContext, period: String?, date: CalendarDate, preview: InvoiceRunResult? = nil,
        error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.user()
        let federation = try await Federations(database).find(try context.federation, by: user)
        var values = PageErrors.layout(title: "Fakturering", context: context)
        values.merge([
            "federation": federation.code, "federationName": federation.name,
            "period": period ?? "", "issueDate": "\(date)",
        ]) { $1 }
        if let preview {
            values["preview"] = [
                "previewInvoices": preview.invoices.map { invoice -> [String: Any] in
                    ["previewMember": invoice.memberName, "previewPeriod": invoice.period, "previewDue": "\(invoice.dueDate)",
                     "previewAmount": PageNumber.kronor(invoice.total, whole: false), "previewSettlement": invoice.settlement]
                },
                "hasPreviewInvoices": !preview.invoices.isEmpty,
                "previewTotal": PageNumber.kronor(try preview.invoices.sum(\.total), whole: false),
                "previewCount": preview.invoices.count,
                "alreadyInvoiced": preview.alreadyInvoiced,
                "credits": preview.settlementCredits.map { credit -> [String: Any] in
                    ["creditMember": credit.memberName, "creditInvoice": "\(credit.invoiceYear)-\(credit.invoiceNumber)",
                     "creditAmount": PageNumber.kronor(credit.amount, whole: false)]
                },
                "hasCredits": !preview.settlementCredits.isEmpty,
            ] as [String: Any]
        }
        if let error { values["error"] = error }
        return pages.page("invoicing", values, status: status)
    }

    /// `steg=forhandsgranska` shows what the run would issue; `steg=fakturera` issues it and shows the invoices.
    @Sendable func run(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        var entered: (period: String?, date: CalendarDate) = (nil, .today)
        return try await PageAction.handle(pages, request, context: context, again: { error, status in
            try await runPage(context: context, period: entered.period, date: entered.date, error: error, status: status)
        }) { fields, federation, user in
            let periodText = PageAction.field(fields, "period") ?? ""
            entered.period = periodText
            if let dateText = PageAction.field(fields, "datum") {
                guard let date = CalendarDate(iso: dateText) else {
                    throw PageAction.invalid("Fakturadatum", "\(dateText) är inget datum (ÅÅÅÅ-MM-DD)", field: "datum")
                }
                entered.date = date
            }
            guard let period = InvoicePeriod(periodText) else {
                throw PageAction.invalid("Period", "\(periodText.isEmpty ? "saknas" : periodText + " är ingen period") (t.ex. 2027, 2027H1, 2027Q1 eller 2027-01)",
                    field: "period")
            }
            let preview = fields["steg"] != "fakturera"
            let result = try await InvoiceRuns(database).run(federation, period: period, issueDate: entered.date, preview: preview, by: user)
            if preview {
                return try await runPage(context: context, period: periodText, date: entered.date, preview: result)
            }
            return PageRenderer.redirect(to: "/f/\(federation)/fakturor?ar=\(period.year)&utstallda=\(result.invoices.count)")
        }
    }
}
