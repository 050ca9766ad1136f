import FinsamCore
import FinsamService
import Foundation
import Postgres
import TestSupport
import Testing

/// Peppol BIS Billing 3.0 files of issued invoices and credit notes, checked with the real validators: the OASIS
/// UBL 2.1 schema and the official CEN EN 16931 and Peppol rule sets (scripts/peppol-validate).
@Suite struct PeppolExportTests {
    static let user = LedgerTests.user
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    /// InvoiceRunTests' plan, invoiced for 2024 (8 invoices), the members given references and addresses, and
    /// invoice 1 (Ankeby, 199 998 kr) credited by 1 000,50 kr (credit note 9).
    static func issue(_ database: Database) async throws {
        try await InvoiceRunTests.seed(database)
        let members = Members(database)
        for code in ["ankeby", "bergby", "dalby", "region", "fk"] {
            _ = try await members.update(code, in: "norrdalen", MemberChanges(buyerReference: "REF-\(code.uppercased())"), by: user)
        }
        _ = try await members.update("region", in: "norrdalen", MemberChanges(
            peppolId: "0007:2321000990", invoiceAddress: "Region Norr, Fakturor, Box 100, 851 00 Älvstad"), by: user)
        _ = try await FederationInvoicing(database).update("norrdalen", bankgiro: "5050-1055", dueDays: nil, by: user)
        let runs = InvoiceRuns(database)
        _ = try await runs.run("norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: day("2024-01-10"), by: user)
        _ = try await runs.run("norrdalen", period: InvoicePeriod("2024H2")!, issueDate: day("2024-07-10"), by: user)
        _ = try await CreditNotes(database).issue(invoiceNumber: 1, year: 2024, amount: Money(öre: 1_000_50),
            reason: "Fel folkmängd & avrundning", on: day("2024-02-01"), in: "norrdalen", by: user)
    }

    static func write(_ files: [PeppolFile]) throws -> (URL, [URL]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("peppol-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let urls = try files.map { file in
            let url = folder.appendingPathComponent(file.fileName)
            try file.xml.write(to: url, atomically: true, encoding: .utf8)
            return url
        }
        return (folder, urls)
    }

    @Test func everyInvoiceAndCreditNotePassesTheSchemaAndTheOfficialRuleSets() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await Self.issue(database)
            let files = try await PeppolExport(database).files(of: "norrdalen", year: 2024, number: nil, by: Self.user)
            #expect(files.map(\.fileName) == (1...8).map { "norrdalen-faktura-2024-\($0).xml" } + ["norrdalen-kreditfaktura-2024-9.xml"])
            let (folder, urls) = try Self.write(files)
            defer { try? FileManager.default.removeItem(at: folder) }
            let reports = try await PeppolValidator.check(urls)
            #expect(reports.count == 9)
            for report in reports {
                #expect(report.schemaErrors.isEmpty, "\(report.file): \(report.schemaErrors)")
                #expect(report.fatal.isEmpty, "\(report.file): \(report.fatal)")
                #expect(report.warnings.isEmpty, "\(report.file): \(report.warnings)")
            }
            // What was issued, as issued: invoice 4 is the region's first quarter, 500 000 kr with its OCR.
            let invoice = try await Invoices(database).find(number: 4, year: 2024, in: "norrdalen", by: Self.user)
            let region = try #require(files.first { $0.fileName == "norrdalen-faktura-2024-4.xml" }).xml
            #expect(region.contains("<cbc:PayableAmount currencyID=\"SEK\">500000.00</cbc:PayableAmount>"))
            #expect(region.contains("<cbc:PaymentID>\(invoice.ocr)</cbc:PaymentID>"))
            #expect(region.contains("<cbc:PostalZone>851 00</cbc:PostalZone>"))
            #expect(region.contains("<cbc:StartDate>2024-01-01</cbc:StartDate>"))
            #expect(region.contains("<cbc:EndDate>2024-03-31</cbc:EndDate>"))
            let credit = try #require(files.last).xml
            #expect(credit.contains("<cbc:PayableAmount currencyID=\"SEK\">1000.50</cbc:PayableAmount>"))
            #expect(credit.contains("<cbc:Note>Kredit av faktura 2024-1: Fel folkmängd &amp; avrundning</cbc:Note>"))
            // One number picks one document.
            let one = try await PeppolExport(database).files(of: "norrdalen", year: 2024, number: 9, by: Self.user)
            #expect(one.map(\.fileName) == ["norrdalen-kreditfaktura-2024-9.xml"])
        }
    }

    /// The validators do reject what is wrong: a total that does not add up (EN 16931 BR-CO-16), a missing buyer
    /// reference (Peppol R003), an element out of the schema's order, an organisation number with a wrong check digit.
    @Test func theValidatorsRejectABrokenDocument() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await Self.issue(database)
            let good = try #require(try await PeppolExport(database).files(of: "norrdalen", year: 2024, number: 4, by: Self.user).first)
            func broken(_ name: String, _ change: (String) -> String) -> PeppolFile {
                PeppolFile(fileName: name, xml: change(good.xml))
            }
            let files = [
                broken("total.xml") { $0.replacingOccurrences(
                    of: "<cbc:PayableAmount currencyID=\"SEK\">500000.00", with: "<cbc:PayableAmount currencyID=\"SEK\">500001.00") },
                broken("reference.xml") { $0.replacingOccurrences(of: "<cbc:BuyerReference>REF-REGION</cbc:BuyerReference>", with: "") },
                broken("order.xml") { xml in
                    let note = "  <cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>\n"
                    return xml.replacingOccurrences(of: note, with: "").replacingOccurrences(
                        of: "  <cac:TaxTotal>\n", with: note + "  <cac:TaxTotal>\n")
                },
                broken("orgnr.xml") { $0.replacingOccurrences(of: "2321000990", with: "2321000991") },
            ]
            let (folder, urls) = try Self.write(files)
            defer { try? FileManager.default.removeItem(at: folder) }
            let reports = try await PeppolValidator.check(urls)
            #expect(reports[0].fatal.map(\.id).contains("BR-CO-16"))
            #expect(reports[1].fatal.map(\.id).contains("PEPPOL-EN16931-R003"))
            #expect(!reports[2].schemaErrors.isEmpty)
            #expect(reports[3].fatal.map(\.id).contains("FINSAM-0007-LUHN"))
        }
    }

    @Test func anExportIsRefusedWhenTheBankgiroOrABuyerReferenceIsMissing() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await InvoiceRunTests.seed(database)
            _ = try await InvoiceRuns(database).run("norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: Self.day("2024-01-10"), by: Self.user)
            let export = PeppolExport(database)
            let noBankgiro = await #expect(throws: ServiceError.self) {
                try await export.files(of: "norrdalen", year: 2024, number: nil, by: Self.user)
            }
            #expect(noBankgiro?.message.contains("norrdalen har inget bankgiro") == true)
            _ = try await FederationInvoicing(database).update("norrdalen", bankgiro: "5050-1055", dueDays: nil, by: Self.user)
            let noReference = await #expect(throws: ServiceError.self) {
                try await export.files(of: "norrdalen", year: 2024, number: nil, by: Self.user)
            }
            #expect(noReference?.message.hasPrefix("Ankeby kommun (ankeby) saknar referens") == true)
            // Set later, the member's reference is used for invoices issued without one.
            for code in ["ankeby", "bergby", "dalby", "region", "fk"] {
                _ = try await Members(database).update(code, in: "norrdalen", MemberChanges(buyerReference: "R"), by: Self.user)
            }
            #expect(try await export.files(of: "norrdalen", year: 2024, number: nil, by: Self.user).count == 5)
            await #expect(throws: ServiceError.self) {
                try await export.files(of: "norrdalen", year: 2024, number: 42, by: Self.user)
            }
        }
    }

    @Test func aMembersPeppolIdIsCheckedBeforeItIsSaved() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await InvoiceRunTests.seed(database)
            let members = Members(database)
            for bad in ["2120000712", "0007:2120000713", "0007:212000-0712", "12:abc"] {
                await #expect(throws: ServiceError.self) {
                    try await members.update("bergby", in: "norrdalen", MemberChanges(peppolId: bad), by: Self.user)
                }
            }
            let set = try await members.update("bergby", in: "norrdalen", MemberChanges(peppolId: "0007:2120000712"), by: Self.user)
            #expect(set.peppolId == "0007:2120000712")
            let cleared = try await members.update("bergby", in: "norrdalen", MemberChanges(peppolId: ""), by: Self.user)
            #expect(cleared.peppolId == nil)
            #expect(try await members.find("bergby", in: "norrdalen", by: Self.user).peppolId == nil)
        }
    }
}
