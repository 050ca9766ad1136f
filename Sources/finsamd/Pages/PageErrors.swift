import FinsamService
import Foundation
import Hummingbird

/// How a page answers what went wrong: not signed in (or the session ended) sends the browser to the sign-in page;
/// any other service error is a page in Swedish with the error's status. The API's problem details are for scripts.
enum PageErrors {
    static func answer(_ pages: PageRenderer, context: FinsamRequestContext, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as ServiceError {
            switch error.kind {
            case .unauthenticated:
                return PageRenderer.redirect(to: "/logga-in")
            default:
                let status = ProblemDetails.status(for: error.kind)
                var values = layout(title: "Det gick inte", context: context)
                values["heading"] = status == .forbidden ? "Det får du inte" : status == .notFound ? "Finns inte" : "Det gick inte"
                values["message"] = PageErrors.sentence(error.message)
                return pages.page("problem", values, status: status)
            }
        }
    }

    /// A service message as a sentence on a page: a capital first letter and a full stop, unless it starts with a
    /// name that must stay as written (a file `bgmax.txt: rad 3 …`, a parameter `till=…`, a code).
    static func sentence(_ message: String) -> String {
        let first = message.prefix { $0 != " " && $0 != ":" }
        let verbatim = first.contains { ".=_-/0123456789".contains($0) }
        let text = verbatim ? message : message.capitalizedFirst
        return text.hasSuffix(".") || text.hasSuffix("?") || text.hasSuffix("!") ? text : text + "."
    }

    /// What the layout shows of the person signed in (their name), and the session's CSRF token that every form of
    /// the page carries (`{{csrf}}`), the sign-out form among them.
    static func layout(title: String, context: FinsamRequestContext) -> [String: Any] {
        var values: [String: Any] = ["title": title]
        if let signedIn = context.signedIn, signedIn.byCookie {
            values["csrf"] = Sessions.csrfToken(for: signedIn.secret)
            values["signedIn"] = ["name": signedIn.name, "personCode": signedIn.user] as [String: Any]
        }
        return values
    }
}
