import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// The economy office's disbursements (`/f/{federation}/utbetalningar`): preparing drafts from an intervention's
/// decisions for a half-year, sending drafts (and returned ones) for approval, paying approved ones in a batch, and
/// the batch's page with its pain.001 file for the bank (`/f/{federation}/utbetalningsomgangar/{n}`). What waits for
/// approval is listed too; approving is the director's page.
struct DisbursementWorkPages {
    let pages: PageRenderer
    let database: Database

    func addRoutes(to router: Router<FinsamRequestContext>) {
        router.get("/f/{federation}/utbetalningar", use: show)
        router.post("/f/{federation}/utbetalningar/forbered", use: prepare)
        router.post("/f/{federation}/utbetalningar/skicka", use: submit)
        router.post("/f/{federation}/utbetalningar/betala", use: pay)
        router.get("/f/{federation}/utbetalningsomgangar/{number}", use: batch)
    }

    @Sendable func show(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let done = request.uri.queryParameters["klar"].map(String.init)
            let count = request.uri.queryParameters["antal"].flatMap { Int(String($0)) } ?? 0
            let notice: String? = switch done {
            case "forberedda": count == 0 ? "Inget nytt att förbereda." : "\(count) utkast förberedda eller ändrade."
            case "skickade": "\(count) \(count == 1 ? "utbetalning" : "utbetalningar") skickade till attest."
            default: nil
            }
            return try await page(context: context, notice: notice)
        }
    }

    func page(context: FinsamRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.user()
        let federation = try await Federations(database).find(try context.federation, by: user)
        let all = try await Disbursements(database).list(in: federation.code, by: user)
        let interventions = try await Interventions(database).list(of: federation.code, by: user).filter { $0.funding != nil }
        let members = try await Members(database).list(of: federation.code, by: user)
        let today = CalendarDate.today
        func rows(_ states: Set<DisbursementState>) -> [[String: Any]] {
            all.filter { states.contains($0.state) }.map { d -> [String: Any] in
                var row: [String: Any] = [
                    "number": d.number, "member": d.memberName, "intervention": d.interventionName, "halfYear": "\(d.halfYear)",
                    "amount": PageNumber.kronor(d.amount, whole: false), "negative": d.amount < .zero, "state": d.state.swedishName.capitalizedFirst,
                ]
                if d.state == .returned, let comment = d.transitions.last(where: { $0.to == .returned })?.comment { row["returnComment"] = comment }
                if let batch = d.batch { row["batch"] = batch }
                return row
            }
        }
        let drafts = rows([.draft, .returned])
        let submitted = rows([.submitted])
        let approved = rows([.approved])
        let batches = Dictionary(grouping: all.filter { $0.batch != nil }, by: { $0.batch! }).sorted { $0.key > $1.key }.prefix(10)
        var values = PageErrors.layout(title: "Utbetalningar", context: context)
        values.merge([
            "federation": federation.code, "federationName": federation.name,
            "interventions": interventions.map { ["interventionCode": $0.code, "interventionName": $0.name] },
            "members": members.map { ["memberCode": $0.code, "memberName": $0.name] },
            "halfYearNow": "\(HalfYear(year: today.year, half: today.month <= 6 ? 1 : 2)!)",
            "today": "\(today)",
            "drafts": drafts, "hasDrafts": !drafts.isEmpty,
            "submitted": submitted, "hasSubmitted": !submitted.isEmpty,
            "approved": approved, "hasApproved": !approved.isEmpty,
            "batches": try batches.map { number, paid -> [String: Any] in
                ["batchNumber": number, "batchCount": paid.count == 1 ? "1 utbetalning" : "\(paid.count) utbetalningar", "batchTotal": PageNumber.kronor(try paid.sum(\.amount), whole: false)]
            },
            "hasBatches": !batches.isEmpty,
        ]) { $1 }
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return pages.page("disbursements", values, status: status)
    }

    func act(_ request: Request, context: FinsamRequestContext,
        _ action: ([String: String], String, User) async throws -> Response
    ) async throws -> Response {
        try await PageAction.handle(pages, request, context: context, again: { error, status in
            try await page(context: context, error: error, status: status)
        }, action)
    }

    /// The disbursements ticked in a form: checkboxes `nr-5`, `nr-7` …
    static func ticked(_ fields: [String: String]) throws -> [Int] {
        let numbers = fields.keys.filter { $0.hasPrefix("nr-") }.compactMap { Int($0.dropFirst(3)) }.filter { $0 > 0 }.sorted()
        guard !numbers.isEmpty else { throw PageAction.invalid("Utbetalningar", "kryssa för minst en", field: "nr") }
        return numbers
    }

    @Sendable func prepare(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await act(request, context: context) { fields, federation, user in
            guard let intervention = PageAction.field(fields, "insats") else { throw PageAction.invalid("Insats", "välj en", field: "insats") }
            let halfYearText = PageAction.field(fields, "halvar") ?? ""
            guard let halfYear = HalfYear(halfYearText) else {
                throw PageAction.invalid("Halvår", "\(halfYearText.isEmpty ? "saknas" : halfYearText + " är inget halvår") (t.ex. 2026H2)", field: "halvar")
            }
            let prepared = try await Disbursements(database).prepare(in: federation, intervention: intervention, halfYear: halfYear,
                member: PageAction.field(fields, "medlem"), by: user)
            let changed = prepared.filter { $0.outcome == .created || $0.outcome == .updated }.count
            return PageRenderer.redirect(to: "/f/\(federation)/utbetalningar?klar=forberedda&antal=\(changed)")
        }
    }

    @Sendable func submit(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await act(request, context: context) { fields, federation, user in
            let moved = try await Disbursements(database).submit(try Self.ticked(fields), in: federation, by: user)
            return PageRenderer.redirect(to: "/f/\(federation)/utbetalningar?klar=skickade&antal=\(moved.count)")
        }
    }

    @Sendable func pay(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await act(request, context: context) { fields, federation, user in
            let numbers = try Self.ticked(fields)
            let dateText = PageAction.field(fields, "datum") ?? ""
            guard let date = CalendarDate(iso: dateText) else {
                throw PageAction.invalid("Betalningsdag", "\(dateText.isEmpty ? "saknas" : dateText + " är inget datum") (ÅÅÅÅ-MM-DD)", field: "datum")
            }
            let batch = try await Disbursements(database).pay(numbers, in: federation, on: date, file: false, by: user)
            return PageRenderer.redirect(to: "/f/\(federation)/utbetalningsomgangar/\(batch.number)?betald=1")
        }
    }

    @Sendable func batch(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let user = try context.user()
            let federation = try await Federations(database).find(try context.federation, by: user)
            let number = try context.pathNumber("number")
            let found = try await Disbursements(database).batch(number, in: federation.code, by: user)
            var values = PageErrors.layout(title: "Utbetalningsomgång \(number)", context: context)
            values.merge([
                "federation": federation.code, "federationName": federation.name, "batchNumber": number,
                "paidOn": "\(found.paidOn)", "messageID": found.messageID, "total": PageNumber.kronor(found.total, whole: false),
                "hasFile": found.file != nil,
                "fileLink": "/api/v1/federations/\(federation.code)/disbursement-batches/\(number)/pain001",
                "paid": found.disbursements.map { d -> [String: Any] in
                    ["number": d.number, "member": d.memberName, "intervention": d.interventionName, "halfYear": "\(d.halfYear)",
                     "amount": PageNumber.kronor(d.amount, whole: false), "negative": d.amount < .zero,
                     "voucher": d.voucher.map { "\($0.series)-\($0.number)" } ?? ""]
                },
            ]) { $1 }
            if !found.notInFile.isEmpty { values["notInFile"] = found.notInFile.map(String.init).joined(separator: ", ") }
            if request.uri.queryParameters["betald"] != nil { values["notice"] = "Utbetalningarna är bokförda. Hämta betalfilen och skicka den till banken." }
            return pages.page("batch", values)
        }
    }
}
