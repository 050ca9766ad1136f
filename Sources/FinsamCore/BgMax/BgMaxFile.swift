/// A Bankgirot BgMax file (Bankgiro Inbetalningar): the incoming payments to one or more bankgiro numbers,
/// grouped in deposits (one per bankgiro, currency and day). Amounts are öre, as the file gives them.
public struct BgMaxFile: Sendable, Equatable {
    /// When Bankgirot wrote the file: the start record's timestamp, `YYYYMMDDHHMMSSffffff` (Swedish time).
    public var writtenAt: String
    /// The layout version of the start record (`01`).
    public var version: String
    /// True for a test file (`T`): its payments never happened and must not be booked.
    public var isTest: Bool
    public var deposits: [BgMaxDeposit]

    /// Every payment and deduction of every deposit, in the file's order.
    public var payments: [BgMaxPayment] { deposits.flatMap(\.payments) }
}

/// One deposit: what was paid to one bankgiro number on one day, and how it reached the bank account.
public struct BgMaxDeposit: Sendable, Equatable {
    /// The receiving bankgiro number, digits only (`9912346`).
    public var bankgiro: String
    /// The currency of the deposit (`SEK`).
    public var currency: String
    /// The day the payments reached the bankgiro, and the day they are booked.
    public var paymentDate: CalendarDate
    /// Bankgirot's serial number of the deposit: with the bankgiro and the date it names the deposit.
    public var serialNumber: Int
    /// The bank account the deposit was made to, as the file gives it.
    public var bankAccount: String
    /// The deposit's total: the payments less the deductions.
    public var amount: Money
    public var payments: [BgMaxPayment]
    /// The line of the deposit record (TK15).
    public var line: Int
}

/// A payment (TK20) or a deduction (TK21) with the records that follow it.
public struct BgMaxPayment: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case payment
        /// A deduction: the payer subtracted an amount (usually a credit note) from what it paid. The code says
        /// whether the deduction is whole (0), partial with more to come (1) or the last part (2).
        case deduction(code: Int)
    }

    /// What the reference field holds, by Bankgirot's reference code.
    public enum ReferenceCode: Int, Sendable, Equatable {
        case blank = 0
        /// The payer gave no reference that could be passed on.
        case unavailable = 1
        /// A reference whose OCR check digits Bankgirot has verified.
        case ocr = 2
        /// Several references: they follow in extra-reference records, or the information records say them.
        case several = 3
        /// A reference given by the payer, not checked.
        case unchecked = 4
        /// A reference Bankgirot found wrong (check digit or length).
        case faulty = 5
    }

    /// How the payment reached Bankgirot.
    public enum Channel: Int, Sendable, Equatable {
        case internetBank = 1
        case leverantorsbetalning = 2
        case paperForm = 3
        case autogiro = 4
    }

    /// An extra reference (TK22, or TK23 for a negative one) of a payment that pays several invoices.
    public struct ExtraReference: Sendable, Equatable {
        public var reference: String
        public var amount: Money
        public var isNegative: Bool
        public var line: Int
    }

    public var kind: Kind
    /// The payer's bankgiro number, digits only, when the payment came from one.
    public var senderBankgiro: String?
    /// The reference as the payer gave it, without padding; nil when blank.
    public var reference: String?
    /// Always positive; a deduction's amount is taken off its deposit.
    public var amount: Money
    public var referenceCode: ReferenceCode
    public var channel: Channel
    /// Bankgirot's serial number of the payment (12 digits), unique within the deposit.
    public var bgcSerialNumber: String
    /// True when Bankgirot has an image of the paper form.
    public var hasImage: Bool
    public var extraReferences: [ExtraReference] = []
    /// Free text the payer wrote (TK25 records), one line each.
    public var information: [String] = []
    public var payerName: String?
    public var payerAddress: String?
    public var payerPostcode: String?
    public var payerTown: String?
    /// The payer's organisation or personal identity number (TK29), digits only as given.
    public var payerOrganisationNumber: String?
    /// The line of the payment or deduction record.
    public var line: Int

    /// The amount with its sign as it counts in the deposit: negative for a deduction.
    public var signedAmount: Money {
        if case .deduction = kind { return -amount }
        return amount
    }
}
