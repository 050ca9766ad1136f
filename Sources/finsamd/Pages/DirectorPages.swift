import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// The director's pages (`/f/{federation}/…`): the queue of disbursements awaiting the signed-in person's approval,
/// and one disbursement with the decision behind it (the board's reference and terms, the amount month by month),
/// who prepared and submitted it, what the intervention's budget has left, the chair's approval above the
/// delegation limit, and the buttons `Attestera`, `Återsänd` and `Avslå` (the last two with a comment). Each action
/// is the same service call as the API's, as the signed-in person; the page then shows what became of it.
struct DirectorPages {
    let pages: PageRenderer
    let database: Database

    func addRoutes(to router: Router<FinsamRequestContext>) {
        router.get("/f/{federation}/attest", use: queue)
        router.get("/f/{federation}/utbetalningar/{number}", use: disbursement)
        router.post("/f/{federation}/utbetalningar/{number}/attestera", use: approve)
        router.post("/f/{federation}/utbetalningar/{number}/aterstand", use: returnForChanges)
        router.post("/f/{federation}/utbetalningar/{number}/avsla", use: reject)
    }

    @Sendable func queue(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let user = try context.user()
            let federation = try context.federation
            let found = try await Federations(database).find(federation, by: user)
            let roles = try await Sessions(database).roles(of: user, in: federation)
            let waiting = try await Disbursements(database).list(in: federation, state: .submitted, by: user)
                .filter { Self.awaits($0, roles: roles, person: context.signedIn!.user) }
            let rows: [[String: Any]] = waiting.map {
                ["federation": federation, "number": $0.number, "member": $0.memberName, "intervention": $0.interventionName,
                 "halfYear": "\($0.halfYear)", "amount": SwedishNumberFormat.kronor($0.amount)]
            }
            var values = PageErrors.layout(title: "Att attestera", context: context)
            values["federationName"] = found.name
            values["rows"] = rows
            values["hasRows"] = !rows.isEmpty
            return pages.page("queue", values)
        }
    }

    /// Whether a submitted disbursement waits for this person: a director's approval not yet given, or, above the
    /// delegation limit, the chair's; never a second approval by one who approved it already.
    static func awaits(_ disbursement: Disbursement, roles: Set<Role>, person: String) -> Bool {
        guard disbursement.state == .submitted else { return false }
        let approvals = disbursement.currentApprovals
        guard !approvals.contains(where: { $0.by == person }) else { return false }
        if roles.contains(.director), !approvals.contains(where: { $0.role == .director }) { return true }
        return roles.contains(.chair) && disbursement.needsChair && !approvals.contains(where: { $0.role == .chair })
    }

    @Sendable func disbursement(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let notice = request.uri.queryParameters["klar"].flatMap { Self.notices[String($0)] }
            return try await page(context: context, notice: notice)
        }
    }

    static let notices = [
        "attesterad": "Du har attesterat utbetalningen.",
        "aterstand": "Utbetalningen är återsänd till ekonomen med din kommentar.",
        "avslagen": "Utbetalningen är avslagen.",
    ]

    func page(context: FinsamRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.user()
        let federation = try context.federation
        let number = try context.pathNumber("number")
        let found = try await Disbursements(database).find(number, in: federation, by: user)
        let roles = try await Sessions(database).roles(of: user, in: federation)
        let statement = try await FundingDecisions(database).statement(in: federation, intervention: found.intervention,
            member: found.member, halfYear: found.halfYear, by: user)
        let budget = try await DecisionReports(database).commitments(in: federation, year: found.halfYear.year, by: user)
            .lines.first { $0.intervention == found.intervention }
        var values = PageErrors.layout(title: "Utbetalning \(number)", context: context)
        values.merge([
            "federation": federation, "number": number, "memberName": found.memberName, "interventionName": found.interventionName,
            "halfYear": "\(found.halfYear)", "amount": SwedishNumberFormat.kronor(found.amount), "state": found.state.swedishName,
            "preparedBy": found.preparedBy, "needsChair": found.needsChair,
            "canAct": Self.awaits(found, roles: roles, person: context.signedIn!.user),
            "decided": SwedishNumberFormat.kronor(try statement.months.sum(\.amount)),
        ]) { $1 }
        if let submitted = found.transitions.last(where: { $0.to == .submitted }) { values["submittedBy"] = submitted.actor }
        if let chair = found.currentApprovals.first(where: { $0.role == .chair }) { values["chairApproved"] = chair.by }
        let approvals: [[String: Any]] = found.currentApprovals.map {
            ["role": $0.role.swedishName.capitalizedFirst, "by": $0.by, "at": Self.moment($0.at)]
        }
        values["approvals"] = approvals
        values["hasApprovals"] = !approvals.isEmpty
        if let budget {
            values["budget"] = ["year": found.halfYear.year, "remaining": SwedishNumberFormat.kronor(budget.remaining),
                "total": SwedishNumberFormat.kronor(budget.budget), "negative": budget.remaining < .zero] as [String: Any]
        }
        values["decisions"] = statement.decisions.filter { !$0.standsFor.isEmpty }.map { decision -> [String: Any] in
            var row: [String: Any] = ["reference": "\(decision.reference)", "terms": decision.swedishTerms]
            // Only what there is: a decision for part of the half-year names its months; adjustments, if any. (Names of
            // their own: a key missing here would be looked up in the page around it, and `months` is the table.)
            if decision.standsFor.count < 6 { row["decisionMonths"] = decision.standsFor.map { SwedishMonth.name($0) }.joined(separator: ", ") }
            if !decision.adjustments.isEmpty {
                row["decisionAdjustments"] = decision.adjustments.map { $0.swedish(model: decision.model) }.joined(separator: "; ")
            }
            return row
        }
        values["months"] = statement.months.map { month -> [String: Any] in
            ["name": SwedishMonth.name(month.month).capitalizedFirst, "extent": month.extent.swedish, "amount": SwedishNumberFormat.kronor(month.amount)]
        }
        values["transitions"] = found.transitions.map { transition -> [String: Any] in
            var row: [String: Any] = ["at": Self.moment(transition.at), "actor": transition.actor, "to": transition.to.swedishName]
            if let comment = transition.comment { row["comment"] = comment }
            return row
        }
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return pages.page("disbursement", values, status: status)
    }

    /// `2026-11-23 14:05` in Swedish time.
    static func moment(_ date: Date) -> String {
        let parts = Calendar.stockholm.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    @Sendable func approve(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await act(request, context: context, done: "attesterad") { number, _, federation, user in
            _ = try await Disbursements(database).approve([number], in: federation, by: user)
        }
    }

    @Sendable func returnForChanges(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await act(request, context: context, done: "aterstand") { number, comment, federation, user in
            _ = try await Disbursements(database).returnForChanges([number], in: federation, comment: comment, by: user)
        }
    }

    @Sendable func reject(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await act(request, context: context, done: "avslagen") { number, comment, federation, user in
            _ = try await Disbursements(database).reject([number], in: federation, comment: comment, by: user)
        }
    }

    /// A button's form: its CSRF field checked, the use case done, and the page again (303) with what became of it;
    /// a refusal (another step came first, a comment missing, a budget that blocks) is the page with the reason.
    func act(_ request: Request, context: FinsamRequestContext, done: String,
        _ action: @Sendable (Int, String, String, User) async throws -> Void
    ) async throws -> Response {
        try await PageAction.handle(pages, request, context: context, again: { error, status in
            try await page(context: context, error: error, status: status)
        }) { fields, federation, user in
            let number = try context.pathNumber("number")
            try await action(number, fields["comment"] ?? "", federation, user)
            return PageRenderer.redirect(to: "/f/\(federation)/utbetalningar/\(number)?klar=\(done)")
        }
    }
}
