import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's member invoicing (`/api/v1/federations/{federation}/…`): the contribution plan of a year, invoice
/// runs (`"preview": true` shows what a run would issue without issuing it), the invoices (`2024-17`: year and
/// number) with the printable page and the Peppol BIS 3 document of one, crediting an invoice, and registering a
/// payment by hand; planning a year's contributions (`"preview": true` shows the split without saving it), and
/// reversing a payment registered by mistake (by its voucher, `I-3?year=2026`).
struct InvoiceController {
    let database: Database

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/contribution-plans/{year}", use: contributionPlan)
        routes.post("federations/{federation}/invoice-runs", use: run)
        routes.get("federations/{federation}/invoices", use: list)
        routes.get("federations/{federation}/invoices/{invoice}", use: show)
        routes.get("federations/{federation}/invoices/{invoice}/printable", use: printable)
        routes.get("federations/{federation}/invoices/{invoice}/peppol", use: peppol)
        routes.post("federations/{federation}/invoices/{invoice}/credit-notes", use: credit)
        routes.post("federations/{federation}/invoices/{invoice}/payments", use: pay)
        routes.post("federations/{federation}/contribution-plans", use: plan)
        routes.post("federations/{federation}/payments/{voucher}/reverse", use: reversePayment)
    }

    /// The year's total and how it is split: by law 50 % the state, 25 % the region(s), 25 % the municipalities by
    /// population, unless the charter agrees otherwise.
    struct PlanRequest: Decodable {
        struct Shares: Decodable {
            var state: String
            var regions: String
            var municipalities: String
        }
        var year: Int
        /// Whole kronor.
        var total: Money
        /// The date the population figures must be from.
        var referenceDate: CalendarDate?
        /// Percentages (`50`, `12.5`); the law's without it.
        var shares: Shares?
        /// Municipality code → percentage, a key agreed in the charter; by population without it.
        var municipalityKey: [String: String]?
        /// Two regions' agreed percentages; equal parts without it.
        var regionKey: [String: String]?
        var preview: Bool?
    }

    struct PaymentReversalRequest: Decodable {
        var reason: String
        /// Today without it.
        var date: CalendarDate?
    }

    struct RunRequest: Decodable {
        /// `2026`, `2026H1`, `2026Q3` or `2026-03`.
        var period: String
        /// The invoices' date; today without it.
        var date: CalendarDate?
        var preview: Bool?
    }

    struct CreditRequest: Decodable {
        /// What is left of the invoice without it.
        var amount: Money?
        var reason: String
        var date: CalendarDate?
    }

    struct PaymentRequest: Decodable {
        var amount: Money
        var date: CalendarDate
        var reference: String?
    }

    @Sendable func contributionPlan(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let year = try context.pathNumber("year")
        let plan = try await ContributionPlans(database).show(for: federation, year: year, by: try context.user())
        return try APIBody.read(plan, request: request, csvName: "bidragsplan-\(federation)-\(year)", context: context)
    }

    /// Issues the period's installments not invoiced yet; 201 when it issued any, 200 for a preview or nothing new.
    @Sendable func run(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(RunRequest.self, from: request, context: context)
        guard let period = InvoicePeriod(body.period) else {
            throw ServiceError(.invalid, "fältet period: \(body.period) är ingen period (2026, 2026H1, 2026Q3 eller 2026-03)",
                code: "request.body-invalid", arguments: ["field": "period"])
        }
        let result = try await InvoiceRuns(database).run(try context.federation, period: period, issueDate: body.date ?? .today,
            preview: body.preview ?? false, by: try context.user())
        return try APIBody.json(result, status: !result.preview && !result.invoices.isEmpty ? .created : .ok, context: context)
    }

    /// `?year=2026`; ordered by year and number, the cursor is the last one's `ÅÅÅÅNNNNNN`.
    @Sendable func list(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let invoices = try await Invoices(database).list(of: federation, year: try QueryParameters(request: request).year(), by: try context.user())
            .sorted { ($0.year, $0.number) < ($1.year, $1.number) }
        return try APIBody.list(invoices, key: { $0.year * 1_000_000 + $0.number }, request: request, csvName: "fakturor-\(federation)", context: context)
    }

    @Sendable func show(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let invoice = try context.pathInvoice()
        let found = try await Invoices(database).find(number: invoice.number, year: invoice.year, in: try context.federation, by: try context.user())
        return try APIBody.json(found, context: context)
    }

    /// The invoice as the member receives it on paper: an HTML page to print.
    @Sendable func printable(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let invoice = try context.pathInvoice()
        let federation = try context.federation
        let html = try await Invoices(database).html(number: invoice.number, year: invoice.year, in: federation, by: try context.user())
        return APIBody.document(Array(html.utf8), contentType: "text/html; charset=utf-8",
            name: "\(federation)-faktura-\(invoice.year)-\(invoice.number).html", inline: true)
    }

    /// The invoice (or a credit note of that number) as Peppol BIS Billing 3.0 UBL.
    @Sendable func peppol(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let invoice = try context.pathInvoice()
        let files = try await PeppolExport(database).files(of: try context.federation, year: invoice.year, number: invoice.number, by: try context.user())
        guard let file = files.first else {
            throw ServiceError(.notFound, "ingen faktura \(invoice.year)-\(invoice.number)", code: "invoice.not-found",
                arguments: ["invoice": "\(invoice.year)-\(invoice.number)"])
        }
        return APIBody.document(Array(file.xml.utf8), contentType: "application/xml; charset=utf-8", name: file.fileName)
    }

    @Sendable func credit(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let invoice = try context.pathInvoice()
        let body = try await APIBody.decode(CreditRequest.self, from: request, context: context)
        let note = try await CreditNotes(database).issue(invoiceNumber: invoice.number, year: invoice.year, amount: body.amount, reason: body.reason,
            on: body.date ?? .today, in: try context.federation, by: try context.user())
        return try APIBody.json(note, status: .created, context: context)
    }

    @Sendable func pay(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let invoice = try context.pathInvoice()
        let body = try await APIBody.decode(PaymentRequest.self, from: request, context: context)
        let payment = try await Payments(database).register(body.amount, on: body.date, for: .number(year: invoice.year, number: invoice.number),
            reference: body.reference, in: try context.federation, by: try context.user())
        return try APIBody.json(payment, status: .created, context: context)
    }

    /// Works out the year's split and, unless a preview, saves it in place of an earlier plan: 201 saved, 200 preview.
    @Sendable func plan(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(PlanRequest.self, from: request, context: context)
        guard body.total.öre > 0, body.total.öre % 100 == 0 else {
            throw ServiceError(.invalid, "fältet total: ange ett belopp i hela kronor större än noll", code: "request.body-invalid",
                arguments: ["field": "total"])
        }
        func key(_ shares: [String: String]?, _ name: String) throws -> [String: Int64]? {
            try shares.map { shares in
                try shares.mapValues { try APIBody.required(try APIBody.percent($0, name), name) }
            }
        }
        let shares = try body.shares.map {
            ContributionSplit.PartyShares(state: Int(try APIBody.required(try APIBody.percent($0.state, "shares.state"), "shares.state")),
                regions: Int(try APIBody.required(try APIBody.percent($0.regions, "shares.regions"), "shares.regions")),
                municipalities: Int(try APIBody.required(try APIBody.percent($0.municipalities, "shares.municipalities"), "shares.municipalities")))
        } ?? .law
        let planRequest = ContributionPlanRequest(year: body.year, totalKronor: body.total.öre / 100, referenceDate: body.referenceDate,
            partyShares: shares, municipalityKey: try key(body.municipalityKey, "municipalityKey"), regionKey: try key(body.regionKey, "regionKey"))
        let plan = try await ContributionPlans(database).plan(planRequest, for: try context.federation, preview: body.preview ?? false,
            by: try context.user())
        return try APIBody.json(plan, status: plan.saved ? .created : .ok, context: context)
    }

    /// Reverses a registered payment: its voucher is reversed and the invoice is open again; nothing is removed.
    @Sendable func reversePayment(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let voucher = try LedgerController.reference(request, context: context)
        let body = try await APIBody.decode(PaymentReversalRequest.self, from: request, context: context)
        let reversed = try await Payments(database).reverse(voucher, on: body.date ?? .today, reason: body.reason, in: try context.federation,
            by: try context.user())
        return try APIBody.json(reversed, status: .created, context: context)
    }
}
