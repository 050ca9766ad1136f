public import FinsamCore

/// The nightly check that the books agree (DOMAIN.md, "Reconciliation"): for one federation at one date, each
/// check compares what the ledger says with what the documents say, and names the vouchers where they differ.
public struct ReconciliationReport: Sendable, Encodable, Equatable {
    public var federation: String
    public var date: CalendarDate
    public var checks: [ReconciliationCheck]

    /// True when every check agrees.
    public var agrees: Bool { checks.allSatisfy(\.agrees) }
}

public struct ReconciliationCheck: Sendable, Encodable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// Every voucher's lines add up to zero.
        case vouchersBalance = "vouchers-balance"
        /// The receivables account (1510) equals what is left to pay of the invoices (the open items).
        case receivables
        /// Each paid disbursement's cost posting (4020) equals its amount.
        case disbursements
        /// Every payment the bank files brought is booked.
        case bankPayments = "bank-payments"
        /// The bank account (1930) at the latest statement's date equals that statement's closing balance.
        case bankStatement = "bank-statement"

        public var swedishName: String {
            switch self {
            case .vouchersBalance: "Verifikationer i balans"
            case .receivables: "Kundfordringar mot kundreskontran"
            case .disbursements: "Utbetalda bidrag mot bokföringen"
            case .bankPayments: "Inbetalningar från banken bokförda"
            case .bankStatement: "Bankkontot mot kontoutdraget"
            }
        }
    }

    public var kind: Kind
    /// What the ledger says.
    public var ledger: Money
    /// What the documents say (invoices and payments, disbursements, bank files).
    public var documents: Money
    /// Ledger less documents; throws when the two lie so far apart that their difference leaves Finsam's limit.
    public var difference: Money { get throws(MoneyOverflow) { try ledger - documents } }
    /// The vouchers or documents where the two differ; empty when they agree.
    public var differences: [ReconciliationDifference]

    public var agrees: Bool { ledger == documents && differences.isEmpty }

    enum CodingKeys: String, CodingKey { case kind, ledger, documents, difference, agrees, differences }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(ledger, forKey: .ledger)
        try container.encode(documents, forKey: .documents)
        // null when ledger and documents lie so far apart that their difference leaves Finsam's limit.
        try container.encode(try? difference, forKey: .difference)
        try container.encode(agrees, forKey: .agrees)
        try container.encode(differences, forKey: .differences)
    }
}

/// One place where the ledger and a document disagree: the voucher (when there is one), the document (when
/// there is one), and the two amounts.
public struct ReconciliationDifference: Sendable, Encodable, Equatable {
    public var voucher: VoucherReference?
    public var date: CalendarDate?
    /// The document in Swedish, e.g. "faktura 17 (2024)", or why there is none.
    public var document: String
    public var ledger: Money
    public var documents: Money
}
