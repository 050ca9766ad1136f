import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// The pages' templates, embedded in the binary (`Pages/Templates`), and how a page is answered: HTML with the
/// headers every page carries. Values are escaped by the templates (`{{value}}`); nothing a user typed is ever
/// written unescaped.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    static let templates: [(name: String, text: [UInt8])] = [
        ("layout", PackageResources.layout_mustache),
        ("signin", PackageResources.signin_mustache),
        ("start", PackageResources.start_mustache),
        ("problem", PackageResources.problem_mustache),
        ("queue", PackageResources.queue_mustache),
        ("disbursement", PackageResources.disbursement_mustache),
        ("federation", PackageResources.federation_mustache),
        ("report", PackageResources.report_mustache),
        ("bank", PackageResources.bank_mustache),
        ("invoicing", PackageResources.invoicing_mustache),
        ("periods", PackageResources.periods_mustache),
        ("disbursements", PackageResources.disbursements_mustache),
        ("batch", PackageResources.batch_mustache),
    ]

    init() {
        var library = MustacheLibrary()
        for template in Self.templates {
            // The templates are part of the build; one that does not parse is a programming error the tests catch.
            try! library.register(String(decoding: template.text, as: UTF8.self), named: template.name)
        }
        self.library = library
    }

    /// What every page answers with: no other site may frame it, no script runs but our own (there is none), no
    /// style or image comes from elsewhere, forms post only here, and nothing is cached.
    static func securityHeaders() -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[.cacheControl] = "no-store"
        return headers
    }

    func page(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = Self.securityHeaders()
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: extra)
        let html = library.render(values, withTemplate: template) ?? ""
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// 303 See Other: after a form is handled, the browser fetches the next page with GET.
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders()
        headers[.location] = location
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }

    /// The style sheet, the one static file.
    static func styleSheet() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/css; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: PackageResources.finsam_css)))
    }
}
