import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// The start page (`/`): for each federation the signed-in person holds a role in, what awaits them there:
/// disbursements for them to approve, invoices overdue, bank payments waiting in the unmatched queue, and whether the
/// books agree today (the nightly reconciliation's checks, run now). Each part is shown only to those whose roles
/// may see it.
struct StartPage {
    let pages: PageRenderer
    let database: Database

    func addRoutes(to router: Router<FinsamRequestContext>) {
        router.get("/", use: start)
    }

    @Sendable func start(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let user = try context.user()
            let grants = try await Sessions(database).roles(of: user)
            let federations = try await Federations(database).list(by: user)
            var sections: [[String: Any]] = []
            for federation in federations {
                let roles = Set(grants.filter { $0.federation == federation.code }.map(\.role))
                guard !roles.isEmpty else { continue }
                sections.append(try await section(federation, roles: roles, user: user, person: context.signedIn!.user))
            }
            return pages.page("start", PageErrors.layout(title: "Att göra", context: context).merging([
                "federations": sections,
            ]) { $1 })
        }
    }

    func section(_ federation: Federation, roles: Set<Role>, user: User, person: String) async throws -> [String: Any] {
        func may(_ useCase: UseCase) -> Bool { !roles.isDisjoint(with: Rights.roles(for: useCase)) }
        var values: [String: Any] = [
            "code": federation.code, "name": federation.name,
            "roles": roles.map(\.swedishName).sorted().joined(separator: ", ").capitalizedFirst,
        ]
        var anything = false
        if may(.disbursementApprove) {
            let submitted = try await Disbursements(database).list(in: federation.code, state: .submitted, by: user)
            let mine = submitted.filter { DirectorPages.awaits($0, roles: roles, person: person) }
            if !mine.isEmpty {
                values["toApprove"] = mine.count
                values["toApproveText"] = mine.count == 1 ? "utbetalning" : "utbetalningar"
                anything = true
            }
        }
        if may(.invoiceRead) {
            let overdue = try await Payments(database).openItems(in: federation.code, at: .today, by: user).filter { $0.daysOverdue > 0 }
            if !overdue.isEmpty {
                values["overdue"] = overdue.count
                values["overdueText"] = overdue.count == 1 ? "faktura förfallen" : "fakturor förfallna"
                values["overdueAmount"] = SwedishNumberFormat.kronor(try overdue.sum(\.remaining))
                anything = true
            }
        }
        if may(.bankPaymentSettle) {
            let waiting = try await BankPayments(database).unmatched(in: federation.code, by: user)
            if !waiting.isEmpty {
                values["unmatched"] = waiting.count
                values["unmatchedText"] = waiting.count == 1 ? "bankbetalning" : "bankbetalningar"
                values["unmatchedAmount"] = SwedishNumberFormat.kronor(try waiting.sum(\.amount))
                anything = true
            }
        }
        if may(.reconcile) {
            // Last night's run as it was kept; before the first night, the books are checked now.
            let when: String, differing: [ReconciliationCheck.Kind], failure: String?
            if let night = try await NightlyResults(database).latest(in: federation.code, by: user) {
                (when, differing, failure) = ("Nattens avstämning \(night.date)", night.differing, night.failure)
            } else {
                let report = try await Reconciliation(database).check(federation.code, at: .today, by: user)
                (when, differing, failure) = ("Avstämningen nu (ingen nattlig körning än)", report.checks.filter { !$0.agrees }.map(\.kind), nil)
            }
            let agrees = differing.isEmpty && failure == nil
            let summary = failure.map { "kunde inte göras: \($0)" }
                ?? (agrees ? "bokföringen stämmer med underlagen" : ReportPages.checkNames(differing) + " stämmer inte")
            values["reconciliation"] = ["when": when, "agrees": agrees, "summary": summary] as [String: Any]
            anything = anything || !agrees
        }
        if !anything { values["nothing"] = true }
        return values
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
