import FinsamCore
import Testing
import TestSupport

@Suite struct CamtParserTests {
    static let statement = CamtTestFile(
        iban: "SE4550000000058398257466", statementID: "2024-02-05", opening: ("1000.00", "2024-02-04"), closing: ("3234.50", "2024-02-05"),
        entries: [
            // A Bankgiro deposit booked as one entry with two payments: 1 500 + 734,50 = 2 234,50.
            .init(reference: "BG-0001", amount: "2234.50", date: "2024-02-05", transactions: [
                .init(amount: "1500", ocr: "240000190", payerName: "Ankeby kommun", payerOrgID: "2120000530"),
                .init(amount: "734.5", text: "Faktura 240000299 tack"),
            ]),
            .init(reference: "PG-7", amount: "100.00", credit: false, date: "2024-02-05", transactions: []),
            .init(reference: "PD-1", amount: "5.00", date: "2024-02-05", status: "PDNG", transactions: []),
        ])

    /// Figures by hand from the file above: opening 1 000,00 and closing 3 234,50 as the bank states them (the
    /// parser takes the bank's balances as given; the reconciliation compares the closing one with the ledger).
    @Test func aStatementIsReadWithItsBalancesEntriesAndPayments() throws {
        let document = try CamtParser.parse(Self.statement.bytes)
        #expect(document.kind == .statement && document.messageID == "MSG-2024-02-05")
        let report = try #require(document.reports.first)
        #expect(report.iban == "SE4550000000058398257466")
        #expect(report.balances.map(\.code) == ["OPBD", "CLBD"])
        #expect(report.balances.map(\.amount) == [Money(kronor: 1_000), Money(öre: 3_234_50)])
        #expect(report.balances[1].date == CalendarDate(iso: "2024-02-05"))
        #expect(report.entries.map(\.reference) == ["BG-0001", "PG-7", "PD-1"])
        #expect(report.entries.map(\.isCredit) == [true, false, true])
        #expect(report.entries.map(\.isBooked) == [true, true, false])
        let deposit = report.entries[0]
        #expect(deposit.transactions.map(\.amount) == [Money(kronor: 1_500), Money(öre: 734_50)])
        #expect(deposit.transactions[0].references == ["240000190"])
        #expect(deposit.transactions[0].payerName == "Ankeby kommun" && deposit.transactions[0].payerIdentity == "2120000530")
        #expect(deposit.transactions[1].references == ["Faktura", "240000299", "tack"])
        // An entry without details is one payment of the entry's amount.
        #expect(report.entries[1].transactions.map(\.amount) == [Money(kronor: 100)])
    }

    /// camt.054.001.08: the status in Sts/Cd, the debtor's name in Dbtr/Pty/Nm, a namespace prefix on every element.
    @Test func aNotificationOfALaterVersionIsReadToo() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <n:Document xmlns:n="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
             <n:BkToCstmrDbtCdtNtfctn>
              <n:GrpHdr><n:MsgId>N1</n:MsgId><n:CreDtTm>2024-02-05T12:00:00+01:00</n:CreDtTm></n:GrpHdr>
              <n:Ntfctn>
               <n:Id>N1-1</n:Id>
               <n:Acct><n:Id><n:IBAN>SE4550000000058398257466</n:IBAN></n:Id></n:Acct>
               <n:Ntry>
                <n:NtryRef>E1</n:NtryRef><n:Amt Ccy="SEK">250000.00</n:Amt><n:CdtDbtInd>CRDT</n:CdtDbtInd>
                <n:Sts><n:Cd>BOOK</n:Cd></n:Sts><n:BookgDt><n:DtTm>2024-02-05T10:15:00+01:00</n:DtTm></n:BookgDt>
                <n:NtryDtls><n:TxDtls>
                 <n:Amt Ccy="SEK">250000.00</n:Amt>
                 <n:RltdPties><n:Dbtr><n:Pty><n:Nm>Region Norr</n:Nm><n:Id><n:OrgId><n:Othr><n:Id>2321000990</n:Id></n:Othr></n:OrgId></n:Id></n:Pty></n:Dbtr></n:RltdPties>
                </n:TxDtls></n:NtryDtls>
               </n:Ntry>
              </n:Ntfctn>
             </n:BkToCstmrDbtCdtNtfctn>
            </n:Document>
            """
        let document = try CamtParser.parse(Array(xml.utf8))
        #expect(document.kind == .notification)
        let entry = try #require(document.reports.first?.entries.first)
        #expect(entry.isBooked && entry.isCredit && entry.reference == "E1")
        #expect(entry.bookingDate == CalendarDate(iso: "2024-02-05"))
        #expect(entry.transactions.first?.payerName == "Region Norr")
        #expect(entry.transactions.first?.payerIdentity == "2321000990")
    }

    @Test(arguments: [
        ("<Document><Other/></Document>", "varken camt.053"),
        ("<Document", "ingen giltig XML"),
        ("<Invoice/>", "rotelementet är Invoice"),
    ])
    func aFileThatIsNoCamtIsRefused(xml: String, reason: String) {
        #expect {
            _ = try CamtParser.parse(Array(xml.utf8))
        } throws: { error in
            (error as? CamtError)?.reason.contains(reason) == true
        }
    }

    /// Found by scripts/fuzz: an element or attribute name that is no UTF-8 made FoundationXML trap (the program
    /// stopped, in the nightly job every night). Such a file is refused with the line of the first bad byte.
    @Test(arguments: [
        Array("<Document><Stmt".utf8) + [0xED, 0xED] + Array("/></Document>".utf8),
        Array("<Document\n a".utf8) + [0xED] + Array("=\"1\"/>".utf8),
    ])
    func aFileThatIsNoUTF8IsRefusedInsteadOfStoppingTheProgram(_ bytes: [UInt8]) throws {
        let error = try #require(throws: FileError.self) { try CamtParser.parse(bytes) }
        #expect(error.reason == "filen är inte UTF-8, som ISO 20022-filer ska vara")
        #expect(error.line == bytes.prefix { $0 != 0xED }.filter { $0 == 0x0A }.count + 1)
    }

    /// Found by scripts/fuzz: a processing instruction without data (`<?xNtf?>`) made FoundationXML dereference
    /// null. Processing instructions and document type declarations, which no bank's statement has, are refused.
    @Test(arguments: [
        ("<?xNtf?>\n<Document/>", 1, "en bearbetningsinstruktion (<?…?>)"),
        ("<?xml version=\"1.0\"?>\n<Document>\n<?pi data?></Document>", 3, "en bearbetningsinstruktion (<?…?>)"),
        ("<?xml version=\"1.0\"?>\n<!DOCTYPE Document [<!ENTITY a \"b\">]>\n<Document>&a;</Document>", 2,
         "en dokumenttypdeklaration (<!DOCTYPE …>)"),
    ] as [(String, Int, String)])
    func markupNoStatementHasIsRefused(_ xml: String, _ line: Int, _ what: String) throws {
        let error = try #require(throws: FileError.self) { try CamtParser.parse(Array(xml.utf8)) }
        #expect(error == FileError(line: line, reason: "filen innehåller \(what), som en camt-fil inte har"))
    }

    @Test func anEntryWhoseTransactionsDoNotAddUpIsRefusedWithItsLine() {
        var broken = Self.statement
        broken.entries[0].amount = "2234.00"
        #expect {
            _ = try CamtParser.parse(broken.bytes)
        } throws: { error in
            guard let error = error as? CamtError else { return false }
            return error.reason == "postens belopp 2 234,00 stämmer inte med transaktionerna (2 234,50)" && error.line != nil
        }
        var tooPrecise = Self.statement
        tooPrecise.entries[1].amount = "100.001"
        #expect(throws: CamtError.self) { _ = try CamtParser.parse(tooPrecise.bytes) }
    }
}
