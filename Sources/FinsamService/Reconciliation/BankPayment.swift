public import FinsamCore

/// An incoming payment as the bank reported it, and what became of it: the invoices it paid, or why it waits.
public struct BankPayment: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case payment
        /// An amount the payer took off what it paid (usually a credit note): it lowered the deposit.
        case deduction
    }

    public var id: Int64
    public var paidOn: CalendarDate
    public var kind: Kind
    public var amount: Money
    /// The payer's reference, and the extra references of a payment of several invoices.
    public var reference: String?
    public var extraReferences: [String]
    public var payerName: String?
    public var payerOrganisationNumber: String?
    public var information: [String]
    /// Where the payment stands in the bank's file.
    public var fileLine: Int
    public var allocations: [BankPaymentAllocation]
    /// The voucher that settled it, when it pays no invoice (`BankPayments.settle`).
    public var settlement: VoucherReference?
    /// Why no invoice could be named for it; nil once it is allocated or settled.
    public var unmatchedReason: String?
}

/// The part of a bank payment that paid one invoice, and the voucher that booked it.
public struct BankPaymentAllocation: Sendable, Codable, Equatable {
    public enum Method: String, Sendable, Codable {
        case ocr
        case amountAndPayer = "amount-and-payer"
        case hand

        init(_ method: PaymentMatch.Method) {
            switch method {
            case .ocr: self = .ocr
            case .amountAndPayer: self = .amountAndPayer
            }
        }

        public var swedishName: String {
            switch self {
            case .ocr: "OCR"
            case .amountAndPayer: "belopp och betalare"
            case .hand: "för hand"
            }
        }
    }

    public var invoiceYear: Int
    public var invoiceNumber: Int
    public var member: String
    public var memberName: String
    public var amount: Money
    public var voucher: VoucherReference
    public var matchedBy: Method
}

/// What reading a bank file did. Its JSON carries the totals too (matched, unmatched, booked, vouchers).
public struct BankFileImportSummary: Sendable, Encodable, Equatable {
    public var fileName: String
    public var format: String
    /// When the bank wrote the file (BgMax: `YYYYMMDDHHMMSSffffff`).
    public var writtenAt: String
    /// True when these very bytes had been read before: nothing was done.
    public var alreadyImported: Bool
    /// Deposits read now, and deposits skipped because an earlier file brought them.
    public var deposits: Int
    public var depositsAlreadyImported: Int
    /// The payments of the deposits read now, matched or not.
    public var payments: [BankPayment]

    public var matched: [BankPayment] { payments.filter { $0.unmatchedReason == nil } }
    public var unmatched: [BankPayment] { payments.filter { $0.unmatchedReason != nil } }
    public var bookedAmount: Money { get throws { try matched.sum(\.amount) } }
    public var vouchers: Int { payments.reduce(0) { $0 + $1.allocations.count } }

    enum CodingKeys: String, CodingKey {
        case fileName, format, writtenAt, alreadyImported, deposits, depositsAlreadyImported, payments
        case matchedCount, unmatchedCount, bookedAmount, vouchers
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fileName, forKey: .fileName)
        try container.encode(format, forKey: .format)
        try container.encode(writtenAt, forKey: .writtenAt)
        try container.encode(alreadyImported, forKey: .alreadyImported)
        try container.encode(deposits, forKey: .deposits)
        try container.encode(depositsAlreadyImported, forKey: .depositsAlreadyImported)
        try container.encode(payments, forKey: .payments)
        try container.encode(matched.count, forKey: .matchedCount)
        try container.encode(unmatched.count, forKey: .unmatchedCount)
        try container.encode(bookedAmount, forKey: .bookedAmount)
        try container.encode(vouchers, forKey: .vouchers)
    }
}
