import FinsamService
import Foundation
import HTTPTypes
import Hummingbird

/// A page's form handled the same way everywhere: its CSRF field checked, the use case done as the signed-in person,
/// and then either where the form leads (usually a 303 to the page again, saying what became of it) or, when the
/// service refuses (a rule, a field, a race lost), the form's page again with the reason and the refusal's status.
/// Not signed in and the database away are the ordinary page errors (PageErrors).
enum PageAction {
    static func handle(_ pages: PageRenderer, _ request: Request, context: FinsamRequestContext,
        again: (_ error: String, _ status: HTTPResponse.Status) async throws -> Response,
        _ action: ([String: String], _ federation: String, User) async throws -> Response
    ) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let fields = try await PageForm.checkedFields(of: request, context: context)
            let federation = try context.federation
            return try await refusalShown(again: again) { try await action(fields, federation, try context.user()) }
        }
    }

    /// The use case done; a refusal by the service (not "sign in first", not "the database is away") answered with
    /// the form's page again, its reason and status.
    static func refusalShown(again: (_ error: String, _ status: HTTPResponse.Status) async throws -> Response,
        _ body: () async throws -> Response
    ) async throws -> Response {
        do {
            return try await body()
        } catch let error as ServiceError where error.kind != .unauthenticated && error.kind != .unavailable {
            return try await again(PageErrors.sentence(error.message), ProblemDetails.status(for: error.kind))
        }
    }

    /// A form field without the spaces around it; nil when empty.
    static func field(_ fields: [String: String], _ name: String) -> String? {
        let value = (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// A refusal of a form field, naming it as the page's label does.
    static func invalid(_ label: String, _ message: String, field: String) -> ServiceError {
        ServiceError(.invalid, "\(label): \(message)", code: "request.form-invalid", arguments: ["field": field])
    }
}
