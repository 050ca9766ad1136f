/// An invoice or a credit note as Peppol BIS Billing 3.0 carries it, in the terms of EN 16931 (the BT numbers in
/// the comments are the standard's business terms). Contributions are outside the scope of VAT, so every
/// document has one VAT breakdown of category O (BR-O-*), with no VAT amount.
public struct PeppolDocument: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A commercial invoice (type code 380), due on `dueDate` (BT-9).
        case invoice(dueDate: CalendarDate, payment: BankgiroPayment)
        /// A credit note (type code 381) for the invoice `invoice` issued on `invoiceIssueDate` (BG-3).
        case creditNote(invoice: String, invoiceIssueDate: CalendarDate)
    }

    /// Payment to the seller's bankgiro (credit transfer, code 30, branch `SE:BANKGIRO`) with the OCR
    /// reference as the payment id (BT-83), so the payer's bank matches the payment to the invoice.
    public struct BankgiroPayment: Sendable, Equatable {
        /// Seven or eight digits, without the hyphen (SE-R-010..012 style: numeric account id).
        public var bankgiro: String
        public var ocr: String

        /// `bankgiro` as written (`5050-1055`) or as digits.
        public init(bankgiro: String, ocr: String) {
            self.bankgiro = bankgiro.filter { $0 != "-" }
            self.ocr = ocr
        }
    }

    public struct Party: Sendable, Equatable {
        public var name: String
        public var organisationNumber: OrganisationNumber
        /// Where the document is delivered in the Peppol network (BT-34 / BT-49).
        public var endpoint: PeppolEndpoint
        public var address: PostalAddress

        public init(name: String, organisationNumber: OrganisationNumber, endpoint: PeppolEndpoint? = nil,
                    address: PostalAddress) {
            self.name = name
            self.organisationNumber = organisationNumber
            self.endpoint = endpoint ?? PeppolEndpoint(organisationNumber)
            self.address = address
        }
    }

    public struct Line: Sendable, Equatable {
        public var description: String
        public var amount: Money

        public init(description: String, amount: Money) {
            self.description = description
            self.amount = amount
        }
    }

    /// BT-1: unique within the seller, e.g. `2024-17`.
    public var id: String
    public var issueDate: CalendarDate
    public var kind: Kind
    /// BT-10: the buyer's reference, which Peppol requires (PEPPOL-EN16931-R003).
    public var buyerReference: String
    /// BT-22: one note on document level.
    public var note: String?
    /// BG-14: the part of the year the document is for.
    public var period: ClosedRange<CalendarDate>?
    public var seller: Party
    public var buyer: Party
    /// Amounts are positive on both invoices and credit notes: the document type gives the direction.
    public var lines: [Line]

    public init(id: String, issueDate: CalendarDate, kind: Kind, buyerReference: String, note: String? = nil,
                period: ClosedRange<CalendarDate>? = nil, seller: Party, buyer: Party, lines: [Line]) {
        self.id = id
        self.issueDate = issueDate
        self.kind = kind
        self.buyerReference = buyerReference
        self.note = note
        self.period = period
        self.seller = seller
        self.buyer = buyer
        self.lines = lines
    }

    /// BT-106 = BT-109 = BT-112 = BT-115: with no VAT, allowances or prepayments, the sum of the lines.
    public var total: Money { get throws(MoneyOverflow) { try lines.map(\.amount).sum() } }
}

/// A Peppol participant identifier: an ISO 6523 scheme (EAS code, e.g. `0007` for a Swedish organisation
/// number) and the identifier within it.
public struct PeppolEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var identifier: String

    /// `0007:2120000530`; nil unless the scheme is four digits and the identifier is present.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
            !parts[1].isEmpty
        else { return nil }
        scheme = String(parts[0])
        identifier = String(parts[1])
    }

    /// The organisation number in scheme 0007: its ten digits without the hyphen.
    public init(_ organisationNumber: OrganisationNumber) {
        scheme = "0007"
        identifier = organisationNumber.digits
    }

    public var description: String { "\(scheme):\(identifier)" }
}

extension OrganisationNumber {
    /// The ten digits without the hyphen, as Peppol's scheme 0007 writes them.
    public var digits: String { description.filter { $0 != "-" } }
}
