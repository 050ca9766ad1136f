import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's page (`/f/{federation}`): the work and the reports the signed-in person's roles there give them,
/// and nothing else: a link is shown only when the rights table lets the person do what lies behind it (the page
/// behind it checks again, as the service does).
struct FederationPage {
    let pages: PageRenderer
    let database: Database

    struct Link {
        var useCase: UseCase
        var label: String
        var path: String
    }

    /// What a person may work on, by the use case behind it.
    static let work: [Link] = [
        Link(useCase: .disbursementApprove, label: "Att attestera", path: "attest"),
        Link(useCase: .bankPaymentSettle, label: "Bankbetalningar: läs in bankfiler och stäm av", path: "bank"),
        Link(useCase: .invoiceRun, label: "Fakturering av medlemsbidrag", path: "fakturering"),
        Link(useCase: .disbursementPrepare, label: "Utbetalningar: förbered, skicka till attest, betala", path: "utbetalningar"),
        Link(useCase: .periodLock, label: "Låsta perioder", path: "perioder"),
    ]

    static let reports: [Link] = [
        Link(useCase: .reportRead, label: "Resultaträkning", path: "rapporter/resultatrakning"),
        Link(useCase: .reportRead, label: "Balansräkning", path: "rapporter/balansrakning"),
        Link(useCase: .reportRead, label: "Kostnadsfördelning", path: "rapporter/kostnadsfordelning"),
        Link(useCase: .reportRead, label: "Beslutstabell", path: "rapporter/beslut"),
        Link(useCase: .reportRead, label: "Åtaganden per insats", path: "rapporter/ataganden"),
        Link(useCase: .reportRead, label: "Medlemsbidrag och kontoutdrag", path: "rapporter/medlemsbidrag"),
        Link(useCase: .invoiceRead, label: "Fakturor", path: "fakturor"),
        Link(useCase: .invoiceRead, label: "Kundreskontra (öppna poster)", path: "rapporter/oppna-poster"),
        Link(useCase: .reconcile, label: "Avstämning av bokföringen", path: "rapporter/avstamning"),
        Link(useCase: .auditRead, label: "Händelselogg", path: "rapporter/handelselogg"),
    ]

    func addRoutes(to router: Router<FinsamRequestContext>) {
        router.get("/f/{federation}", use: show)
    }

    @Sendable func show(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let user = try context.user()
            let federation = try await Federations(database).find(try context.federation, by: user)
            let roles = try await Sessions(database).roles(of: user, in: federation.code)
            func links(_ all: [Link], _ prefix: String) -> [[String: Any]] {
                all.filter { Rights.allows(roles, $0.useCase) }.map {
                    ["\(prefix)Link": "/f/\(federation.code)/\($0.path)", "\(prefix)Label": $0.label]
                }
            }
            let work = links(Self.work, "work")
            let reports = links(Self.reports, "report")
            var values = PageErrors.layout(title: federation.name, context: context)
            values.merge([
                "federationName": federation.name,
                "roles": roles.map(\.swedishName).sorted().joined(separator: ", ").capitalizedFirst,
                "work": work, "hasWork": !work.isEmpty, "reports": reports, "hasReports": !reports.isEmpty,
            ]) { $1 }
            return pages.page("federation", values)
        }
    }
}
