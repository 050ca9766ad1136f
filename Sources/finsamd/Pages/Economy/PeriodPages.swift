import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// Locking a period (`/f/{federation}/perioder`): the months and years closed so far, and a form to close a month or
/// a whole year. A lock is never lifted, and the page says so before the button.
struct PeriodPages {
    let pages: PageRenderer
    let database: Database

    func addRoutes(to router: Router<FinsamRequestContext>) {
        router.get("/f/{federation}/perioder", use: show)
        router.post("/f/{federation}/perioder", use: lock)
    }

    @Sendable func show(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            // `?last=2026-11` or `?last=2026`: what the form just locked, named by the page (never text from the address).
            let parts = (request.uri.queryParameters["last"].map(String.init) ?? "").split(separator: "-").map { Int($0) }
            var notice: String?
            if let year = parts.first ?? nil, (2000...2100).contains(year), parts.count <= 2 {
                let month = parts.count == 2 ? parts[1] : nil
                if parts.count == 1 || (month.map { (1...12).contains($0) } ?? false) { notice = "\(Self.name(year: year, month: month)) är låst." }
            }
            return try await page(context: context, notice: notice)
        }
    }

    func page(context: FinsamRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.user()
        let federation = try await Federations(database).find(try context.federation, by: user)
        let locks = try await PeriodLocks(database).list(in: federation.code, by: user)
        let today = CalendarDate.today
        // The month before this one is the usual next to close.
        let suggested = today.month == 1 ? (today.year - 1, 12) : (today.year, today.month - 1)
        var values = PageErrors.layout(title: "Låsta perioder", context: context)
        values.merge([
            "federation": federation.code, "federationName": federation.name,
            "locks": locks.map { lock -> [String: Any] in
                ["lockPeriod": Self.name(year: lock.year, month: lock.month), "lockedBy": lock.lockedBy, "lockedAt": DirectorPages.moment(lock.lockedAt)]
            },
            "hasLocks": !locks.isEmpty,
            "year": suggested.0,
            "months": [["monthValue": "", "monthName": "Hela året", "monthSelected": false]] + (1...12).map {
                ["monthValue": "\($0)", "monthName": SwedishMonth.name($0).capitalizedFirst, "monthSelected": $0 == suggested.1] as [String: Any]
            },
        ]) { $1 }
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return pages.page("periods", values, status: status)
    }

    static func name(year: Int, month: Int?) -> String {
        month.map { "\(SwedishMonth.name($0).capitalizedFirst) \(year)" } ?? "Hela \(year)"
    }

    @Sendable func lock(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await PageAction.handle(pages, request, context: context, again: { error, status in
            try await page(context: context, error: error, status: status)
        }) { fields, federation, user in
            let yearText = PageAction.field(fields, "ar") ?? ""
            guard let year = Int(yearText), (2000...2100).contains(year) else {
                throw PageAction.invalid("År", yearText.isEmpty ? "saknas" : "\(yearText) är inget år", field: "ar")
            }
            var month: Int?
            if let monthText = PageAction.field(fields, "manad") {
                guard let value = Int(monthText), (1...12).contains(value) else {
                    throw PageAction.invalid("Månad", "\(monthText) är ingen månad", field: "manad")
                }
                month = value
            }
            let locked = try await PeriodLocks(database).lock(year: year, month: month, in: federation, by: user)
            return PageRenderer.redirect(to: "/f/\(federation)/perioder?last=\(locked.year)\(locked.month.map { "-\($0)" } ?? "")")
        }
    }
}
