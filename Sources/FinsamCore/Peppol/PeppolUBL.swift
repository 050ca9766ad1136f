/// Writes a `PeppolDocument` as UBL 2.1 XML following Peppol BIS Billing 3.0: an `Invoice` or a `CreditNote`,
/// its elements in the order of the UBL schema. The output is checked by the tests against the UBL 2.1 schema
/// and the official EN 16931 and Peppol rule sets (scripts/peppol-validate).
public enum PeppolUBL {
    public static let customizationID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    public static let profileID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    /// VAT category O: services outside the scope of tax (member contributions are not a taxable supply).
    static let exemptionReasonCode = "VATEX-EU-O"
    static let exemptionReason = "Ej föremål för moms: medlemsbidrag enligt lagen (2003:1210) om finansiell samordning"

    public static func xml(_ document: PeppolDocument) throws(MoneyOverflow) -> String {
        var x = XMLText()
        let isInvoice: Bool
        if case .invoice = document.kind { isInvoice = true } else { isInvoice = false }
        let root = isInvoice ? "Invoice" : "CreditNote"
        x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        x.open(root, [
            ("xmlns", "urn:oasis:names:specification:ubl:schema:xsd:\(root)-2"),
            ("xmlns:cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"),
            ("xmlns:cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"),
        ])
        x.leaf("cbc:CustomizationID", customizationID)
        x.leaf("cbc:ProfileID", profileID)
        x.leaf("cbc:ID", document.id)
        x.leaf("cbc:IssueDate", document.issueDate.description)
        switch document.kind {
        case .invoice(let dueDate, _):
            x.leaf("cbc:DueDate", dueDate.description)
            x.leaf("cbc:InvoiceTypeCode", "380")
        case .creditNote:
            x.leaf("cbc:CreditNoteTypeCode", "381")
        }
        if let note = document.note { x.leaf("cbc:Note", note) }
        x.leaf("cbc:DocumentCurrencyCode", "SEK")
        x.leaf("cbc:BuyerReference", document.buyerReference)
        if let period = document.period {
            x.open("cac:InvoicePeriod")
            x.leaf("cbc:StartDate", period.lowerBound.description)
            x.leaf("cbc:EndDate", period.upperBound.description)
            x.close("cac:InvoicePeriod")
        }
        if case .creditNote(let invoice, let invoiceIssueDate) = document.kind {
            x.open("cac:BillingReference")
            x.open("cac:InvoiceDocumentReference")
            x.leaf("cbc:ID", invoice)
            x.leaf("cbc:IssueDate", invoiceIssueDate.description)
            x.close("cac:InvoiceDocumentReference")
            x.close("cac:BillingReference")
        }
        party(document.seller, role: "cac:AccountingSupplierParty", into: &x)
        party(document.buyer, role: "cac:AccountingCustomerParty", into: &x)
        if case .invoice(_, let payment) = document.kind {
            x.open("cac:PaymentMeans")
            x.leaf("cbc:PaymentMeansCode", "30", [("name", "Bankgiro")])
            x.leaf("cbc:PaymentID", payment.ocr)
            x.open("cac:PayeeFinancialAccount")
            x.leaf("cbc:ID", payment.bankgiro)
            x.open("cac:FinancialInstitutionBranch")
            x.leaf("cbc:ID", "SE:BANKGIRO")
            x.close("cac:FinancialInstitutionBranch")
            x.close("cac:PayeeFinancialAccount")
            x.close("cac:PaymentMeans")
        }
        let total = try document.total
        x.open("cac:TaxTotal")
        x.amount("cbc:TaxAmount", .zero)
        x.open("cac:TaxSubtotal")
        x.amount("cbc:TaxableAmount", total)
        x.amount("cbc:TaxAmount", .zero)
        x.open("cac:TaxCategory")
        x.leaf("cbc:ID", "O")
        x.leaf("cbc:TaxExemptionReasonCode", exemptionReasonCode)
        x.leaf("cbc:TaxExemptionReason", exemptionReason)
        taxScheme(into: &x)
        x.close("cac:TaxCategory")
        x.close("cac:TaxSubtotal")
        x.close("cac:TaxTotal")
        x.open("cac:LegalMonetaryTotal")
        x.amount("cbc:LineExtensionAmount", total)
        x.amount("cbc:TaxExclusiveAmount", total)
        x.amount("cbc:TaxInclusiveAmount", total)
        x.amount("cbc:PayableAmount", total)
        x.close("cac:LegalMonetaryTotal")
        let lineElement = isInvoice ? "cac:InvoiceLine" : "cac:CreditNoteLine"
        for (index, line) in document.lines.enumerated() {
            x.open(lineElement)
            x.leaf("cbc:ID", String(index + 1))
            x.leaf(isInvoice ? "cbc:InvoicedQuantity" : "cbc:CreditedQuantity", "1", [("unitCode", "C62")])
            x.amount("cbc:LineExtensionAmount", line.amount)
            x.open("cac:Item")
            x.leaf("cbc:Name", line.description)
            x.open("cac:ClassifiedTaxCategory")
            x.leaf("cbc:ID", "O")
            taxScheme(into: &x)
            x.close("cac:ClassifiedTaxCategory")
            x.close("cac:Item")
            x.open("cac:Price")
            x.amount("cbc:PriceAmount", line.amount)
            x.close("cac:Price")
            x.close(lineElement)
        }
        x.close(root)
        return x.text
    }

    private static func party(_ party: PeppolDocument.Party, role: String, into x: inout XMLText) {
        x.open(role)
        x.open("cac:Party")
        x.leaf("cbc:EndpointID", party.endpoint.identifier, [("schemeID", party.endpoint.scheme)])
        x.open("cac:PartyName")
        x.leaf("cbc:Name", party.name)
        x.close("cac:PartyName")
        x.open("cac:PostalAddress")
        if let street = party.address.street { x.leaf("cbc:StreetName", street) }
        if let additional = party.address.additionalStreet { x.leaf("cbc:AdditionalStreetName", additional) }
        if let town = party.address.town { x.leaf("cbc:CityName", town) }
        if let postcode = party.address.postcode { x.leaf("cbc:PostalZone", postcode) }
        x.open("cac:Country")
        x.leaf("cbc:IdentificationCode", party.address.countryCode)
        x.close("cac:Country")
        x.close("cac:PostalAddress")
        x.open("cac:PartyLegalEntity")
        x.leaf("cbc:RegistrationName", party.name)
        x.leaf("cbc:CompanyID", party.organisationNumber.digits, [("schemeID", "0007")])
        x.close("cac:PartyLegalEntity")
        x.close("cac:Party")
        x.close(role)
    }

    private static func taxScheme(into x: inout XMLText) {
        x.open("cac:TaxScheme")
        x.leaf("cbc:ID", "VAT")
        x.close("cac:TaxScheme")
    }
}
