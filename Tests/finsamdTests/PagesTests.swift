import FinsamCore
import FinsamService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@testable import finsamd

/// The pages' sign-in, sign-out and start page over HTTP (the browser tests in Tests/Browser drive the same pages in
/// Chromium): the session cookie's attributes, the headers every page carries, the CSRF field of a form, and a person
/// seeing only their own federations. Expected names and roles come from the demo (DemoFunding.swift).
@Suite struct PagesTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func body(_ response: TestResponse) -> String { String(buffer: response.body) }

    /// Signs in through the form and returns the cookie `name=value`.
    static func signIn(_ client: some TestClientProtocol, _ user: String) async throws -> String {
        try await client.execute(uri: "/logga-in", method: .post, headers: form, body: ByteBuffer(string: "user=\(user)&password=demo")) { response in
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/")
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            return String(cookie.split(separator: ";")[0])
        }
    }

    @Test func theSignInPageHasLabelledFieldsAndEveryPageItsSecurityHeaders() async throws {
        try await APITests.withDemoDaemon { client in
            try await client.execute(uri: "/logga-in", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src") == false)
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                let html = Self.body(response)
                #expect(html.contains(#"<label for="user">Användare</label>"#) && html.contains(#"id="user""#))
                #expect(html.contains(#"<label for="password">Lösenord</label>"#) && html.contains(#"id="password""#))
                // Not the demo here (FINSAM_DEMO is not on): no password on screen.
                #expect(!html.contains("lösenordet"))
            }
            try await client.execute(uri: "/static/finsam.css", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
            }
            // Not signed in, the start page sends the browser to sign in.
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/logga-in")
            }
        }
    }

    @Test func aDirectorSeesHerFederationsAndSignsOutOnlyWithTheFormsToken() async throws {
        try await APITests.withDemoDaemon { client in
            // A wrong password: the form again, with its message, and no cookie.
            try await client.execute(uri: "/logga-in", method: .post, headers: Self.form, body: ByteBuffer(string: "user=anna.dahl&password=fel")) {
                #expect($0.status == .unauthorized)
                #expect($0.headers[.setCookie] == nil)
                #expect(Self.body($0).contains("Fel användare eller lösenord."))
            }
            let cookie = try await Self.signIn(client, "anna.dahl")
            let csrf = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                let html = Self.body(response)
                // Anna Dahl directs Norra and Mellersta Älvmark, not Södra.
                #expect(html.contains("Samordningsförbundet Norra Älvmark") && html.contains("Samordningsförbundet Mellersta Älvmark"))
                #expect(!html.contains("Södra Älvmark"))
                // The header names her, with her code beside it for those who need it.
                #expect(html.contains(#"<span class="who" title="anna.dahl">Anna Dahl</span>"#))
                let field = try #require(html.range(of: #"name="csrf" value=""#))
                return String(html[field.upperBound...].prefix { $0 != "\"" })
            }
            // Signing out without the form's token is refused, and the session goes on.
            try await client.execute(uri: "/logga-ut", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=fel")) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { #expect($0.status == .ok) }
            // With it: signed out, the session ended in the database.
            try await client.execute(uri: "/logga-ut", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/logga-in")
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { #expect($0.status == .seeOther) }
        }
    }

    @Test func aSignInPostedFromAnotherSiteIsRefused() async throws {
        try await APITests.withDemoDaemon { client in
            var headers = Self.form
            headers[.origin] = "https://elak.example"
            try await client.execute(uri: "/logga-in", method: .post, headers: headers, body: ByteBuffer(string: "user=anna.dahl&password=demo")) {
                #expect($0.status == .forbidden)
                #expect($0.headers[.setCookie] == nil)
            }
        }
    }
}
