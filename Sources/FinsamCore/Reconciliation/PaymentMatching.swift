/// An invoice as payment matching sees it: its OCR reference, whom it is to, and what is left to pay.
public struct MatchableInvoice: Sendable, Equatable {
    public var id: Int64
    public var ocr: String
    /// The member's organisation number, `NNNNNN-NNNN`.
    public var organisationNumber: String
    /// Total less credit notes less payments: zero or less when nothing is left.
    public var remaining: Money

    public init(id: Int64, ocr: String, organisationNumber: String, remaining: Money) {
        self.id = id
        self.ocr = ocr
        self.organisationNumber = organisationNumber
        self.remaining = remaining
    }
}

/// A payment that came in through the bank, as matching sees it.
public struct IncomingPayment: Sendable, Equatable {
    public var amount: Money
    /// Every reference the payer gave, in order (the payment's own and its extra references).
    public var references: [String]
    /// The payer's organisation or personal identity number as the bank gave it (10 or 12 digits), if any.
    public var payerIdentity: String?

    public init(amount: Money, references: [String], payerIdentity: String?) {
        self.amount = amount
        self.references = references
        self.payerIdentity = payerIdentity
    }
}

/// Which invoices a payment pays, and how that was found; or why it could not be said.
public enum PaymentMatch: Sendable, Equatable {
    public enum Method: String, Sendable, Codable {
        case ocr
        case amountAndPayer = "amount-and-payer"
    }

    /// The part of a payment that goes to one invoice.
    public struct Allocation: Sendable, Equatable {
        public var invoiceID: Int64
        public var amount: Money

        public init(_ invoiceID: Int64, _ amount: Money) {
            self.invoiceID = invoiceID
            self.amount = amount
        }
    }

    case matched(Method, [Allocation])
    case unmatched(reason: String)
}

/// DOMAIN.md's rule for incoming payments: match by OCR reference, then by amount and payer. What cannot be
/// said for certain is left for a person; a payment is never spread over invoices by guesswork.
///
/// - One OCR reference that names an invoice: the whole payment goes to it, whatever the amount (a payment too
///   small leaves the invoice partly paid, one too large makes it overpaid, and both show in the open items).
/// - Several references that each name an invoice: each invoice gets what is left of it, when those amounts add
///   up to the payment exactly; otherwise the payment waits.
/// - A reference that passes the OCR check but names no invoice makes the payment wait: the payer meant some
///   invoice, and it is not ours to guess which.
/// - No valid OCR reference: the payment goes to the one invoice whose member has the payer's organisation
///   number and whose remaining amount equals the payment; none or several such invoices make it wait.
public enum PaymentMatching {
    public static func match(_ payment: IncomingPayment, among invoices: [MatchableInvoice]) -> PaymentMatch {
        var seen = Set<String>()
        let references = payment.references
            .flatMap { $0.split(separator: " ").map(String.init) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
        let ocrs = references.filter { OCRReference(checking: $0) != nil }
        if !ocrs.isEmpty {
            var named: [MatchableInvoice] = []
            for ocr in ocrs {
                guard let invoice = invoices.first(where: { $0.ocr == ocr }) else {
                    return .unmatched(reason: "OCR-numret \(ocr) finns inte bland förbundets fakturor")
                }
                named.append(invoice)
            }
            if named.count == 1 { return .matched(.ocr, [.init(named[0].id, payment.amount)]) }
            guard let owed = try? named.map({ max($0.remaining, .zero) }).sum() else {
                return .unmatched(reason: "vad som återstår av de \(named.count) fakturorna blir större än Finsam tillåter")
            }
            guard named.allSatisfy({ $0.remaining > .zero }), owed == payment.amount else {
                return .unmatched(reason:
                    "beloppet \(SwedishNumberFormat.kronor(payment.amount)) kr är inte vad som återstår av de \(named.count) "
                    + "fakturorna (\(SwedishNumberFormat.kronor(owed)) kr)")
            }
            return .matched(.ocr, named.map { .init($0.id, $0.remaining) })
        }
        let noReference = references.isEmpty ? "ingen referens" : "ingen giltig OCR-referens (\(references.joined(separator: ", ")))"
        guard let payer = payment.payerIdentity.flatMap(organisationNumber(from:)) else {
            return .unmatched(reason: "\(noReference) och inget organisationsnummer för betalaren")
        }
        let candidates = invoices.filter { $0.organisationNumber == payer && $0.remaining == payment.amount }
        switch candidates.count {
        case 1: return .matched(.amountAndPayer, [.init(candidates[0].id, payment.amount)])
        case 0:
            return .unmatched(reason:
                "\(noReference), och ingen faktura till \(payer) har \(SwedishNumberFormat.kronor(payment.amount)) kr kvar att betala")
        default:
            return .unmatched(reason:
                "\(noReference), och \(candidates.count) fakturor till \(payer) har \(SwedishNumberFormat.kronor(payment.amount)) kr kvar att betala")
        }
    }

    /// `NNNNNN-NNNN` from the 10 or 12 digits a bank gives (`005500001234`, `195501011234`): the last ten.
    public static func organisationNumber(from identity: String) -> String? {
        let digits = identity.filter { $0 != "-" }
        guard (10...12).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let ten = digits.suffix(10)
        guard ten.contains(where: { $0 != "0" }) else { return nil }
        return "\(ten.prefix(6))-\(ten.suffix(4))"
    }
}
