public import FinsamCore

/// A deposit as the bank files give it, whatever their format: what reached the account together, and how the bank
/// names it so that it is imported once.
struct IncomingDeposit {
    enum Name: Hashable {
        /// A BgMax deposit: the bankgiro, and Bankgirot's serial number of the day's deposit.
        case bankgiro(String, serial: Int)
        /// A camt entry: the account's IBAN, and the bank's reference of the entry.
        case account(String, entry: String)
    }

    var name: Name
    var date: CalendarDate
    var amount: Money
    var currency: String
    var payments: [IncomingBankPayment]
}

/// One payment (or BgMax deduction) of a deposit, as stored and as matched.
struct IncomingBankPayment {
    var kind: BankPayment.Kind
    var amount: Money
    var reference: String?
    /// Further references as stored (BgMax extra references; a negative one marked with `-`).
    var extraReferences: [String]
    /// Every reference matching may use, in order.
    var matchReferences: [String]
    var referenceCode: Int?
    var bgcSerial: String?
    var senderBankgiro: String?
    var payerName: String?
    var payerIdentity: String?
    var information: [String]
    var line: Int
}

extension IncomingDeposit {
    init(_ deposit: BgMaxDeposit) {
        self.init(
            name: .bankgiro(deposit.bankgiro, serial: deposit.serialNumber), date: deposit.paymentDate, amount: deposit.amount,
            currency: deposit.currency,
            payments: deposit.payments.map { payment in
                IncomingBankPayment(
                    kind: payment.kind == .payment ? .payment : .deduction, amount: payment.amount, reference: payment.reference,
                    extraReferences: payment.extraReferences.map { ($0.isNegative ? "-" : "") + $0.reference },
                    matchReferences: [payment.reference].compactMap { $0 } + payment.extraReferences.filter { !$0.isNegative }.map(\.reference),
                    referenceCode: payment.referenceCode.rawValue, bgcSerial: payment.bgcSerialNumber,
                    senderBankgiro: payment.senderBankgiro, payerName: payment.payerName, payerIdentity: payment.payerOrganisationNumber,
                    information: payment.information, line: payment.line)
            })
    }

    /// A booked credit entry of a camt report: each of its transactions a payment.
    init(_ entry: CamtEntry, iban: String) {
        self.init(
            name: .account(iban, entry: entry.reference), date: entry.bookingDate, amount: entry.amount, currency: "SEK",
            payments: entry.transactions.map { transaction in
                IncomingBankPayment(
                    kind: .payment, amount: transaction.amount, reference: transaction.structuredReferences.first,
                    extraReferences: Array(transaction.structuredReferences.dropFirst()), matchReferences: transaction.references,
                    referenceCode: nil, bgcSerial: nil, senderBankgiro: nil, payerName: transaction.payerName,
                    payerIdentity: transaction.payerIdentity, information: transaction.text.map { [$0] } ?? [], line: entry.line)
            })
    }
}
