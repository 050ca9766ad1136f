/// An ISO 20022 bank-to-customer cash management message: a statement (camt.053, with balances) or a debit/credit
/// notification (camt.054), as Swedish banks send them for an account. Only what reconciliation needs is kept.
public struct CamtDocument: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case statement = "camt.053"
        case notification = "camt.054"
    }

    public var kind: Kind
    public var messageID: String
    public var reports: [CamtReport]
}

/// One statement or notification: one account's balances and entries.
public struct CamtReport: Sendable, Equatable {
    public var id: String
    /// The account's IBAN.
    public var iban: String
    public var currency: String?
    public var balances: [CamtBalance]
    public var entries: [CamtEntry]
}

/// A balance of the account: its type (`OPBD` opening, `CLBD` closing booked, …), amount with sign, and date.
public struct CamtBalance: Sendable, Equatable {
    public var code: String
    public var amount: Money
    public var date: CalendarDate
}

/// One entry on the account: a credit (money in) or debit, booked or pending, with the transactions it carries
/// (a batch booking carries many).
public struct CamtEntry: Sendable, Equatable {
    /// The bank's reference of the entry (`AcctSvcrRef`, else `NtryRef`): with the account it names the entry.
    public var reference: String
    /// Always positive; `isCredit` gives the direction.
    public var amount: Money
    public var isCredit: Bool
    public var isBooked: Bool
    public var isReversal: Bool
    public var bookingDate: CalendarDate
    public var transactions: [CamtTransaction]
    /// The line of the entry's start in the file.
    public var line: Int
}

/// One payment within an entry.
public struct CamtTransaction: Sendable, Equatable {
    public var amount: Money
    /// Structured creditor references (the OCR number: `RmtInf/Strd/CdtrRefInf/Ref`).
    public var structuredReferences: [String]
    /// The unstructured remittance text (`RmtInf/Ustrd`), lines joined by a space.
    public var text: String?
    public var payerName: String?
    /// The payer's organisation number as given (`Dbtr/Id/OrgId/Othr/Id`).
    public var payerIdentity: String?

    /// What a payment can be matched on: the structured references, then the words of the text.
    public var references: [String] {
        structuredReferences + (text?.split(separator: " ").map(String.init) ?? [])
    }
}
