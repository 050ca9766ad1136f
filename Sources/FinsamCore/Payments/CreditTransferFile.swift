/// An ISO 20022 customer credit transfer initiation (pain.001.001.09): the file a bank takes to pay a batch of
/// approved disbursements from the federation's account. One payment information block (one debit account, one
/// execution date), one transaction per disbursement, in Swedish kronor, to a bankgiro (`BGNR`, clearing 9900) or
/// a Swedish bank account (`BBAN` with its clearing number, clearing system `SESBA`), as the Swedish banks'
/// message guidelines describe domestic payments.
public struct CreditTransferFile: Sendable, Equatable {
    public struct Debtor: Sendable, Equatable {
        public var name: String
        public var iban: String
        public var bic: String

        public init(name: String, iban: String, bic: String) {
            self.name = name
            self.iban = iban
            self.bic = bic
        }
    }

    public struct Transfer: Sendable, Equatable {
        /// Shown on the debtor's statement and returned by the bank: at most 35 characters.
        public var endToEndID: String
        public var amount: Money
        public var creditorName: String
        public var account: PayoutAccount
        /// The payee's text (ostrukturerat meddelande): at most 140 characters.
        public var remittance: String

        public init(endToEndID: String, amount: Money, creditorName: String, account: PayoutAccount, remittance: String) {
            self.endToEndID = endToEndID
            self.amount = amount
            self.creditorName = creditorName
            self.account = account
            self.remittance = remittance
        }
    }

    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

    public var messageID: String
    /// `2026-10-30T14:05:00`: when the file was made (local time, as the banks' guidelines show it).
    public var createdAt: String
    public var executionDate: CalendarDate
    public var debtor: Debtor
    public var transfers: [Transfer]

    public init(messageID: String, createdAt: String, executionDate: CalendarDate, debtor: Debtor, transfers: [Transfer]) {
        self.messageID = messageID
        self.createdAt = createdAt
        self.executionDate = executionDate
        self.debtor = debtor
        self.transfers = transfers
    }

    /// The sum of the transfers; a batch beyond Finsam's limit is refused rather than written.
    public var controlSum: Money { get throws(MoneyOverflow) { try transfers.map(\.amount).sum() } }

    public var xml: String { get throws(MoneyOverflow) {
        var x = XMLText()
        x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        x.open("Document", [("xmlns", CreditTransferFile.namespace)])
        x.open("CstmrCdtTrfInitn")
        x.open("GrpHdr")
        x.leaf("MsgId", messageID)
        x.leaf("CreDtTm", createdAt)
        x.leaf("NbOfTxs", String(transfers.count))
        x.leaf("CtrlSum", try controlSum.description)
        x.open("InitgPty")
        x.leaf("Nm", Self.clipped(debtor.name, 140))
        x.close("InitgPty")
        x.close("GrpHdr")
        x.open("PmtInf")
        x.leaf("PmtInfId", messageID)
        x.leaf("PmtMtd", "TRF")
        x.leaf("NbOfTxs", String(transfers.count))
        x.leaf("CtrlSum", try controlSum.description)
        x.open("PmtTpInf")
        x.open("SvcLvl")
        x.leaf("Cd", "NURG")
        x.close("SvcLvl")
        x.close("PmtTpInf")
        x.open("ReqdExctnDt")
        x.leaf("Dt", executionDate.description)
        x.close("ReqdExctnDt")
        x.open("Dbtr")
        x.leaf("Nm", Self.clipped(debtor.name, 140))
        x.close("Dbtr")
        x.open("DbtrAcct")
        x.open("Id")
        x.leaf("IBAN", debtor.iban)
        x.close("Id")
        x.leaf("Ccy", "SEK")
        x.close("DbtrAcct")
        x.open("DbtrAgt")
        x.open("FinInstnId")
        x.leaf("BICFI", debtor.bic)
        x.close("FinInstnId")
        x.close("DbtrAgt")
        for transfer in transfers {
            x.open("CdtTrfTxInf")
            x.open("PmtId")
            x.leaf("EndToEndId", Self.clipped(transfer.endToEndID, 35))
            x.close("PmtId")
            x.open("Amt")
            x.leaf("InstdAmt", transfer.amount.description, [("Ccy", "SEK")])
            x.close("Amt")
            // A bankgiro is a proprietary id (BGNR) at Bankgirot's clearing number 9900; a bank account a BBAN.
            let (clearing, accountID, scheme): (String, String, (String, String)) = switch transfer.account {
            case .bankgiro(let number): ("9900", number.filter(\.isNumber), ("Prtry", "BGNR"))
            case .bankAccount(let clearing, let account): (clearing, clearing + account, ("Cd", "BBAN"))
            }
            x.open("CdtrAgt")
            x.open("FinInstnId")
            x.open("ClrSysMmbId")
            x.open("ClrSysId")
            x.leaf("Cd", "SESBA")
            x.close("ClrSysId")
            x.leaf("MmbId", clearing)
            x.close("ClrSysMmbId")
            x.close("FinInstnId")
            x.close("CdtrAgt")
            x.open("Cdtr")
            x.leaf("Nm", Self.clipped(transfer.creditorName, 140))
            x.close("Cdtr")
            x.open("CdtrAcct")
            x.open("Id")
            x.open("Othr")
            x.leaf("Id", accountID)
            x.open("SchmeNm")
            x.leaf(scheme.0, scheme.1)
            x.close("SchmeNm")
            x.close("Othr")
            x.close("Id")
            x.close("CdtrAcct")
            x.open("RmtInf")
            x.leaf("Ustrd", Self.clipped(transfer.remittance, 140))
            x.close("RmtInf")
            x.close("CdtTrfTxInf")
        }
        x.close("PmtInf")
        x.close("CstmrCdtTrfInitn")
        x.close("Document")
        return x.text
    } }

    /// The schema's length limits count characters; a longer name is cut rather than making the bank refuse the file.
    static func clipped(_ text: String, _ limit: Int) -> String {
        let trimmed = text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        return String(trimmed.prefix(limit))
    }
}
