/// A camt.053.001.02 statement written element by element, as a Swedish bank sends one, for tests that need
/// payments to this test's own invoices. Independent of the parser it feeds.
public struct CamtTestFile: Sendable {
    public struct Transaction: Sendable {
        public var amount: String  // "1234.50"
        public var ocr: String?
        public var text: String?
        public var payerName: String?
        public var payerOrgID: String?

        public init(amount: String, ocr: String? = nil, text: String? = nil, payerName: String? = nil, payerOrgID: String? = nil) {
            self.amount = amount
            self.ocr = ocr
            self.text = text
            self.payerName = payerName
            self.payerOrgID = payerOrgID
        }
    }

    public struct Entry: Sendable {
        public var reference: String
        public var amount: String
        public var credit: Bool
        public var date: String
        public var status: String
        public var transactions: [Transaction]

        public init(reference: String, amount: String, credit: Bool = true, date: String, status: String = "BOOK", transactions: [Transaction]) {
            self.reference = reference
            self.amount = amount
            self.credit = credit
            self.date = date
            self.status = status
            self.transactions = transactions
        }
    }

    public var iban: String
    public var statementID: String
    public var opening: (amount: String, date: String)
    public var closing: (amount: String, date: String)
    public var entries: [Entry]

    public init(iban: String, statementID: String, opening: (String, String), closing: (String, String), entries: [Entry]) {
        self.iban = iban
        self.statementID = statementID
        self.opening = opening
        self.closing = closing
        self.entries = entries
    }

    static func balance(_ code: String, _ amount: String, _ date: String) -> String {
        let negative = amount.hasPrefix("-")
        return """
              <Bal><Tp><CdOrPrtry><Cd>\(code)</Cd></CdOrPrtry></Tp><Amt Ccy="SEK">\(negative ? String(amount.dropFirst()) : amount)</Amt>
                <CdtDbtInd>\(negative ? "DBIT" : "CRDT")</CdtDbtInd><Dt><Dt>\(date)</Dt></Dt></Bal>

            """
    }

    public var xml: String {
        var text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <BkToCstmrStmt>
                <GrpHdr><MsgId>MSG-\(statementID)</MsgId><CreDtTm>2024-02-06T06:00:00</CreDtTm></GrpHdr>
                <Stmt>
                  <Id>\(statementID)</Id>
                  <CreDtTm>2024-02-06T06:00:00</CreDtTm>
                  <Acct><Id><IBAN>\(iban)</IBAN></Id><Ccy>SEK</Ccy></Acct>

            """
        text += Self.balance("OPBD", opening.amount, opening.date) + Self.balance("CLBD", closing.amount, closing.date)
        for entry in entries {
            text += """
                      <Ntry>
                        <Amt Ccy="SEK">\(entry.amount)</Amt><CdtDbtInd>\(entry.credit ? "CRDT" : "DBIT")</CdtDbtInd>
                        <Sts>\(entry.status)</Sts><BookgDt><Dt>\(entry.date)</Dt></BookgDt><ValDt><Dt>\(entry.date)</Dt></ValDt>
                        <AcctSvcrRef>\(entry.reference)</AcctSvcrRef>
                        <BkTxCd><Prtry><Cd>BGINB</Cd></Prtry></BkTxCd>
                        <NtryDtls>

                """
            for transaction in entry.transactions {
                var details = "          <TxDtls>\n            <AmtDtls><TxAmt><Amt Ccy=\"SEK\">\(transaction.amount)</Amt></TxAmt></AmtDtls>\n"
                if transaction.payerName != nil || transaction.payerOrgID != nil {
                    details += "            <RltdPties><Dbtr>"
                    if let name = transaction.payerName { details += "<Nm>\(name)</Nm>" }
                    if let id = transaction.payerOrgID { details += "<Id><OrgId><Othr><Id>\(id)</Id></Othr></OrgId></Id>" }
                    details += "</Dbtr></RltdPties>\n"
                }
                if transaction.ocr != nil || transaction.text != nil {
                    details += "            <RmtInf>"
                    if let text = transaction.text { details += "<Ustrd>\(text)</Ustrd>" }
                    if let ocr = transaction.ocr {
                        details += "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>\(ocr)</Ref></CdtrRefInf></Strd>"
                    }
                    details += "</RmtInf>\n"
                }
                text += details + "          </TxDtls>\n"
            }
            text += "        </NtryDtls>\n      </Ntry>\n"
        }
        text += "    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n"
        return text
    }

    public var bytes: [UInt8] { Array(xml.utf8) }
}
