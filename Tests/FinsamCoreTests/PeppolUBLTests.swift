import FinsamCore
import Foundation
import FoundationXML
import Testing

/// The UBL that PeppolUBL writes, read back with an XML parser. The values expected are written out by hand from
/// the document given; that the files pass the UBL schema and the official rule sets is checked by
/// FinsamServiceTests.PeppolExportTests with the real validators.
@Suite struct PeppolUBLTests {
    static let seller = PeppolDocument.Party(
        name: "Samordningsförbundet Norrdalen", organisationNumber: OrganisationNumber("222000-0018")!,
        address: PostalAddress(town: "Dalby"))
    static let buyer = PeppolDocument.Party(
        name: "Bergby kommun", organisationNumber: OrganisationNumber("212000-0712")!,
        address: PostalAddress(swedish: "Bergby kommun, Ekonomi, Box 50, 123 45 Bergby"))
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    static let invoice = PeppolDocument(
        id: "2024-2", issueDate: day("2024-01-10"),
        kind: .invoice(dueDate: day("2024-02-09"), payment: .init(bankgiro: "5050-1055", ocr: "2400000286")),
        buyerReference: "4410", note: "Medlemsbidrag 2024.", period: day("2024-01-01")...day("2024-12-31"),
        seller: seller, buyer: buyer,
        lines: [.init(description: "Medlemsbidrag 2024", amount: Money(kronor: 599_994))])

    /// The child of `element` at `path` of local names (namespaces are the UBL ones throughout).
    static func find(_ element: XMLElement, _ path: String) -> XMLElement? {
        var current: XMLElement? = element
        for name in path.split(separator: "/") {
            current = current?.children?.compactMap { $0 as? XMLElement }.first { $0.localName == String(name) }
        }
        return current
    }

    /// An attribute's value by its name (FoundationXML on Linux does not find them with attribute(forName:)).
    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
    }

    static func parse(_ xml: String) throws -> XMLElement {
        try #require(try XMLDocument(xmlString: xml, options: []).rootElement())
    }

    @Test func anInvoiceCarriesPeppolIdsTotalsBankgiroAndOCR() throws {
        let root = try Self.parse(PeppolUBL.xml(Self.invoice))
        let text = { (path: String) in Self.find(root, path)?.stringValue }
        #expect(root.localName == "Invoice")
        #expect(root.uri == "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2")
        #expect(text("CustomizationID") == "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0")
        #expect(text("ProfileID") == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0")
        #expect(text("InvoiceTypeCode") == "380")
        #expect(text("DueDate") == "2024-02-09")
        #expect(text("BuyerReference") == "4410")
        #expect(text("DocumentCurrencyCode") == "SEK")
        // Seller and buyer: endpoint and legal id in scheme 0007, the ten digits without the hyphen.
        let seller = try #require(Self.find(root, "AccountingSupplierParty/Party"))
        #expect(Self.find(seller, "EndpointID")?.stringValue == "2220000018")
        #expect(Self.find(seller, "EndpointID").flatMap { Self.attribute($0, "schemeID") } == "0007")
        #expect(Self.find(seller, "PartyLegalEntity/CompanyID")?.stringValue == "2220000018")
        let buyer = try #require(Self.find(root, "AccountingCustomerParty/Party"))
        #expect(Self.find(buyer, "EndpointID")?.stringValue == "2120000712")
        #expect(Self.find(buyer, "PostalAddress/StreetName")?.stringValue == "Box 50")
        #expect(Self.find(buyer, "PostalAddress/AdditionalStreetName")?.stringValue == "Bergby kommun, Ekonomi")
        #expect(Self.find(buyer, "PostalAddress/PostalZone")?.stringValue == "123 45")
        #expect(Self.find(buyer, "PostalAddress/CityName")?.stringValue == "Bergby")
        #expect(Self.find(buyer, "PostalAddress/Country/IdentificationCode")?.stringValue == "SE")
        // Bankgiro: credit transfer (30), the account as digits, the OCR reference as the payment id.
        #expect(text("PaymentMeans/PaymentMeansCode") == "30")
        #expect(text("PaymentMeans/PaymentID") == "2400000286")
        #expect(text("PaymentMeans/PayeeFinancialAccount/ID") == "50501055")
        #expect(text("PaymentMeans/PayeeFinancialAccount/FinancialInstitutionBranch/ID") == "SE:BANKGIRO")
        // Not subject to VAT: category O with its exemption reason, no VAT.
        #expect(text("TaxTotal/TaxAmount") == "0.00")
        #expect(text("TaxTotal/TaxSubtotal/TaxableAmount") == "599994.00")
        #expect(text("TaxTotal/TaxSubtotal/TaxCategory/ID") == "O")
        #expect(text("TaxTotal/TaxSubtotal/TaxCategory/TaxExemptionReasonCode") == "VATEX-EU-O")
        #expect(Self.find(root, "TaxTotal/TaxSubtotal/TaxCategory/Percent") == nil)
        for total in ["LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"] {
            #expect(text("LegalMonetaryTotal/\(total)") == "599994.00")
            #expect(Self.find(root, "LegalMonetaryTotal/\(total)").flatMap { Self.attribute($0, "currencyID") } == "SEK")
        }
        #expect(text("InvoiceLine/InvoicedQuantity") == "1")
        #expect(text("InvoiceLine/Item/Name") == "Medlemsbidrag 2024")
        #expect(text("InvoiceLine/Price/PriceAmount") == "599994.00")
    }

    @Test func theElementsComeInTheOrderOfTheUBLSchema() throws {
        let root = try Self.parse(PeppolUBL.xml(Self.invoice))
        let names = root.children?.compactMap { ($0 as? XMLElement)?.localName } ?? []
        // UBL 2.1 Invoice: the sequence of its schema, of the elements used here.
        #expect(names == [
            "CustomizationID", "ProfileID", "ID", "IssueDate", "DueDate", "InvoiceTypeCode", "Note",
            "DocumentCurrencyCode", "BuyerReference", "InvoicePeriod", "AccountingSupplierParty",
            "AccountingCustomerParty", "PaymentMeans", "TaxTotal", "LegalMonetaryTotal", "InvoiceLine",
        ])
    }

    @Test func aCreditNoteRefersToItsInvoiceAndHasPositiveAmounts() throws {
        var credit = Self.invoice
        credit.id = "2024-9"
        credit.kind = .creditNote(invoice: "2024-2", invoiceIssueDate: Self.day("2024-01-10"))
        credit.lines = [.init(description: "Kredit", amount: Money(öre: 1_000_50))]
        let root = try Self.parse(PeppolUBL.xml(credit))
        #expect(root.localName == "CreditNote")
        #expect(root.uri == "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2")
        #expect(Self.find(root, "CreditNoteTypeCode")?.stringValue == "381")
        #expect(Self.find(root, "BillingReference/InvoiceDocumentReference/ID")?.stringValue == "2024-2")
        #expect(Self.find(root, "BillingReference/InvoiceDocumentReference/IssueDate")?.stringValue == "2024-01-10")
        #expect(Self.find(root, "DueDate") == nil)
        #expect(Self.find(root, "PaymentMeans") == nil)
        #expect(Self.find(root, "CreditNoteLine/CreditedQuantity")?.stringValue == "1")
        #expect(Self.find(root, "LegalMonetaryTotal/PayableAmount")?.stringValue == "1000.50")
    }

    @Test func textIsEscapedSoThatAnyNameSurvives() throws {
        var document = Self.invoice
        document.buyer.name = "Kommunförbundet <Väst> & \"Öst\""
        document.lines = [.init(description: "A & B <c>\u{1}", amount: Money(kronor: 1))]
        let root = try Self.parse(PeppolUBL.xml(document))
        #expect(Self.find(root, "AccountingCustomerParty/Party/PartyName/Name")?.stringValue == "Kommunförbundet <Väst> & \"Öst\"")
        #expect(Self.find(root, "InvoiceLine/Item/Name")?.stringValue == "A & B <c>")
    }

    @Test func envelopeAddressesAreReadIntoTheirParts() {
        let fk = PostalAddress(swedish: "Försäkringskassan, Fakturaskanning, Box 1164, 621 22 Visby")
        #expect(fk == PostalAddress(street: "Box 1164", additionalStreet: "Försäkringskassan, Fakturaskanning",
                                    postcode: "621 22", town: "Visby"))
        #expect(PostalAddress(swedish: "Storgatan 1\n85180 Sundsvall")
            == PostalAddress(street: "Storgatan 1", postcode: "851 80", town: "Sundsvall"))
        // No postcode line: everything is street; a number that is not a postcode is not taken for one.
        #expect(PostalAddress(swedish: "Ankeby kommun, Fakturor")
            == PostalAddress(street: "Fakturor", additionalStreet: "Ankeby kommun"))
        #expect(PostalAddress(swedish: "Box 12345").postcode == nil)
        #expect(PostalAddress(swedish: "1234 56 Ort").postcode == nil)
        #expect(PostalAddress(swedish: "") == PostalAddress())
    }

    @Test func endpointsAreSchemeAndIdentifier() {
        #expect(PeppolEndpoint(parsing: "0007:2120000530")?.identifier == "2120000530")
        #expect(PeppolEndpoint(parsing: "0088:7300010000001")?.scheme == "0088")
        #expect(PeppolEndpoint(parsing: "7:2120000530") == nil)
        #expect(PeppolEndpoint(parsing: "0007:") == nil)
        #expect(PeppolEndpoint(parsing: "2120000530") == nil)
        #expect(PeppolEndpoint(OrganisationNumber("212000-0530")!).description == "0007:2120000530")
    }
}
