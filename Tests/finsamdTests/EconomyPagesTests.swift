import FinsamCore
import FinsamService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@testable import finsamd

/// The economy office's pages and the reports over HTTP (the browser tests drive them in Chromium): their forms
/// refuse a post without the session's CSRF field and a person without the right, say what was wrong, and change
/// nothing then; a bank file comes as a multipart form. Expected people and roles from the demo (DemoFunding.swift).
@Suite struct EconomyPagesTests {
    static func form(_ signedIn: APITests.SignedInClient) -> HTTPFields {
        [.cookie: signedIn.cookie, .contentType: "application/x-www-form-urlencoded"]
    }

    @Test func lockingAPeriodNeedsTheFormsTokenAndTheEconomyRole() async throws {
        try await APITests.withDemoDaemon { client in
            let lena = try await APITests.signIn(client, "lena.lind")
            let siv = try await APITests.signIn(client, "siv.berg")
            // Without the token: refused before anything is done.
            try await client.execute(uri: "/f/norralv/perioder", method: .post, headers: Self.form(lena), body: ByteBuffer(string: "ar=2026&manad=10")) {
                #expect($0.status == .forbidden)
            }
            // A board member with her own token: the rights table refuses her, on the page.
            try await client.execute(uri: "/f/norralv/perioder", method: .post, headers: Self.form(siv),
                body: ByteBuffer(string: "csrf=\(siv.csrf)&ar=2026&manad=10")) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("kräver rollen ekonom"))
            }
            // A month that does not exist: the form again with the field named.
            try await client.execute(uri: "/f/norralv/perioder", method: .post, headers: Self.form(lena),
                body: ByteBuffer(string: "csrf=\(lena.csrf)&ar=2026&manad=13")) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("Månad: 13 är ingen månad"))
            }
            try await client.execute(uri: "/api/v1/federations/norralv/periods", method: .get, headers: [.cookie: lena.cookie]) {
                #expect(!String(buffer: $0.body).contains(#""month":10"#))
            }
            // The economy office locks October; the page then says so, naming it itself.
            try await client.execute(uri: "/f/norralv/perioder", method: .post, headers: Self.form(lena),
                body: ByteBuffer(string: "csrf=\(lena.csrf)&ar=2026&manad=10")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/f/norralv/perioder?last=2026-10")
            }
            try await client.execute(uri: "/f/norralv/perioder?last=2026-10", method: .get, headers: [.cookie: lena.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Oktober 2026 är låst."))
                #expect(html.contains("<td>Oktober 2026</td><td>lena.lind</td>"))
            }
            // Text in the address is never written back as a notice.
            try await client.execute(uri: "/f/norralv/perioder?last=Allt%20%C3%A4r%20betalt", method: .get, headers: [.cookie: lena.cookie]) {
                #expect(!String(buffer: $0.body).contains("betalt"))
                #expect(!String(buffer: $0.body).contains(#"role="status""#))
            }
        }
    }

    @Test func aBankFileIsUploadedAsAFormAndOneForAnotherBankgiroIsRefusedWhole() async throws {
        try await APITests.withDemoDaemon { client in
            let lena = try await APITests.signIn(client, "lena.lind")
            // Bankgirot's own example file is for bankgiro 991-2346, not Norra Älvmark's.
            let file = try Fixtures.bytes("bgmax/bgmax-example-ocr-length-check.txt")
            func upload(csrf: String) -> (HTTPFields, ByteBuffer) {
                let boundary = "----finsam-test-boundary"
                var body = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"bgmax-exempel.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\n")
                body.writeBytes(file)
                body.writeString("\r\n--\(boundary)--\r\n")
                return ([.cookie: lena.cookie, .contentType: "multipart/form-data; boundary=\(boundary)"], body)
            }
            let (wrongHeaders, wrongBody) = upload(csrf: "fel")
            try await client.execute(uri: "/f/norralv/bank/fil", method: .post, headers: wrongHeaders, body: wrongBody) { #expect($0.status == .forbidden) }
            let (headers, body) = upload(csrf: lena.csrf)
            try await client.execute(uri: "/f/norralv/bank/fil", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .badRequest)
                let html = String(buffer: response.body)
                // The file's name and line, and the two bankgiros, as the import says them.
                #expect(html.contains("bgmax-exempel.txt: rad 23: insättningen gäller bankgiro 991-2346"))
                #expect(html.contains("991-2346"))
                #expect(html.contains("851-0018"))
            }
            // Nothing was read.
            try await client.execute(uri: "/api/v1/federations/norralv/bank-files", method: .get, headers: [.cookie: lena.cookie]) {
                #expect(!String(buffer: $0.body).contains("bgmax-exempel"))
            }
            // A form that is no multipart form is refused as unreadable.
            try await client.execute(uri: "/f/norralv/bank/fil", method: .post, headers: Self.form(lena),
                body: ByteBuffer(string: "csrf=\(lena.csrf)")) { #expect($0.status == .badRequest) }
        }
    }

    @Test func reportsAreReadOnlyByTheirFederationsPeople() async throws {
        try await APITests.withDemoDaemon { client in
            let karl = try await APITests.signIn(client, "karl.sund")
            let siv = try await APITests.signIn(client, "siv.berg")
            for path in ["/f/norralv/rapporter/resultatrakning", "/f/norralv/rapporter/balansrakning", "/f/norralv/rapporter/handelselogg",
                         "/f/norralv/medlemmar/dalby/kontoutdrag", "/f/norralv/fakturor", "/f/norralv/bank"] {
                try await client.execute(uri: path, method: .get, headers: [.cookie: karl.cookie]) { response in
                    #expect(response.status == .forbidden, "\(path)")
                    #expect(!String(buffer: response.body).contains("Dalby"), "\(path)")
                }
            }
            // The board member reads the reports; a date that is no date is a 400 naming the field.
            try await client.execute(uri: "/f/norralv/rapporter/resultatrakning?ar=2026&till=2026-10-31", method: .get, headers: [.cookie: siv.cookie]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<h1>Resultaträkning 2026</h1>"))
                #expect(html.contains("/api/v1/federations/norralv/reports/income-statement?year=2026&amp;to=2026-10-31&amp;format=csv"))
            }
            // What the person typed goes into the CSV link encoded, not as more parameters.
            try await client.execute(uri: "/f/norralv/rapporter/handelselogg?person=a%26format%3Djson", method: .get, headers: [.cookie: siv.cookie]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("/api/v1/federations/norralv/audit?actor=a%26format%3Djson&amp;format=csv"))
            }
            try await client.execute(uri: "/f/norralv/rapporter/resultatrakning?till=2026-13-01", method: .get, headers: [.cookie: siv.cookie]) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("till=2026-13-01 är inte ett datum"))
            }
            try await client.execute(uri: "/f/norralv/rapporter/resultatrakning?ar=2026&till=2025-12-31", method: .get, headers: [.cookie: siv.cookie]) {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test func theStartPageAndTheAPIShowWhatLastNightsRunFound() async throws {
        let before = CalendarDate.today
        try await APITests.withDemoDaemon { client in
            let lena = try await APITests.signIn(client, "lena.lind")
            // Before the first night: the API says there is none, the start page checks the books now.
            try await client.execute(uri: "/api/v1/federations/norralv/reports/reconciliation/nightly", method: .get, headers: [.cookie: lena.cookie]) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: lena.cookie]) {
                #expect(String(buffer: $0.body).contains("Avstämningen nu (ingen nattlig körning än)"))
            }
        }
        try await APITests.withDemoDaemon(setUp: { database in
            _ = try await NightlyRun(database, dropFolder: nil).run(at: before, by: .system())
        }) { client, _ in
            let lena = try await APITests.signIn(client, "lena.lind")
            try await client.execute(uri: "/api/v1/federations/norralv/reports/reconciliation/nightly", method: .get, headers: [.cookie: lena.cookie]) { response in
                #expect(response.status == .ok)
                let night = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(night?["date"] as? String == "\(before)")
                #expect(night?["federation"] as? String == "norralv")
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: lena.cookie]) { response in
                #expect(String(buffer: response.body).contains("Nattens avstämning \(before)"))
            }
            try await client.execute(uri: "/f/norralv/rapporter/avstamning", method: .get, headers: [.cookie: lena.cookie]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Verifikationer i balans"))
                #expect(html.contains("Nattens körning \(before)"))
            }
        }
    }

    @Test func aMultipartHeadersParametersAreReadQuotedOrNot() {
        #expect(PageForm.parameter("boundary", in: "multipart/form-data; boundary=----abc") == "----abc")
        #expect(PageForm.parameter("name", in: #"form-data; name="fil"; filename="bgmax 2026.txt""#) == "fil")
        #expect(PageForm.parameter("filename", in: #"form-data; name="fil"; filename="bgmax 2026.txt""#) == "bgmax 2026.txt")
        #expect(PageForm.parameter("filename", in: #"form-data; name="csrf""#) == nil)
    }
}
