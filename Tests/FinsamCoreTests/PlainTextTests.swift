import FinsamCore
import Foundation
import Testing
import TestSupport

/// Text that is stored and shown again is plain (issue 13: `\033]0;PWNED` in a name retitled the terminal of
/// whoever listed it); what other systems wrote is escaped where it is shown; files say in Swedish what is wrong,
/// and where.
@Suite struct PlainTextTests {
    @Test(arguments: [
        ("\u{1B}]0;PWNED\u{07}", "U+001B", 1), ("Ankeby\u{07}", "U+0007", 7), ("Ankeby\u{202E}kommun", "U+202E", 7),
        ("Rad ett\nRad två", "U+000A", 8), ("A\u{0}B", "U+0000", 2), ("Tab\there", "U+0009", 4), ("C1\u{85}", "U+0085", 3),
        ("Isolat\u{2066}", "U+2066", 7),
    ] as [(String, String, Int)])
    func controlCharactersAndOverridesAreRefusedWithTheirPlace(_ text: String, _ code: String, _ position: Int) {
        #expect(throws: PlainText.Problem.forbiddenCharacter(code, position: position)) {
            try PlainText.check(text, limit: 200)
        }
    }

    @Test func namesOfEveryLanguageAndAddressLinesPass() throws {
        try PlainText.check("Samordningsförbundet Höglandet – Ö/Å/Ä, Sámi: Čohkkiras, ڤ, 中文", limit: 200)
        try PlainText.check("Region Älvmark\nFakturor\nBox 100", limit: 500, multiline: true)
    }

    @Test func aTextBeyondItsLimitIsRefused() {
        #expect(throws: PlainText.Problem.tooLong(length: 100_000, limit: 200)) {
            try PlainText.check(String(repeating: "x", count: 100_000), limit: 200)
        }
        #expect("\(PlainText.Problem.tooLong(length: 100_000, limit: 200))" == "har för många tecken (100 000, högst 200)")
    }

    @Test func whatIsShownOnATerminalIsEscaped() {
        #expect(PlainText.escaped("Bank\u{1B}]0;PWNED\u{07}") == "Bank⟨U+001B⟩]0;PWNED⟨U+0007⟩")
        #expect(PlainText.escaped("abc\u{202E}def") == "abc⟨U+202E⟩def")
        #expect(PlainText.escaped("Ankeby kommun") == "Ankeby kommun")
        #expect(PlainText.escaped("a\nb", multiline: true) == "a\nb")
    }

    /// A voucher whose text carries a terminal escape or runs to 5 MB is refused with the field named.
    @Test func aVoucherTextMustBePlain() {
        let lines = [VoucherDraft.Line(account: 1930, amount: Money(kronor: 1)), .init(account: 3090, amount: Money(kronor: -1))]
        let date = CalendarDate(iso: "2026-01-05")!
        #expect(throws: VoucherDraft.Problem.textNotPlain(.forbiddenCharacter("U+001B", position: 1))) {
            try VoucherDraft(date: date, text: "\u{1B}]0;PWNED", lines: lines).validate()
        }
        #expect(throws: VoucherDraft.Problem.textNotPlain(.tooLong(length: 5_000_000, limit: 500))) {
            try VoucherDraft(date: date, text: String(repeating: "x", count: 5_000_000), lines: lines).validate()
        }
        var escaped = lines
        escaped[1].text = "ok\u{7}"
        #expect(throws: VoucherDraft.Problem.lineTextNotPlain(line: 2, .forbiddenCharacter("U+0007", position: 3))) {
            try VoucherDraft(date: date, text: "x", lines: escaped).validate()
        }
    }

    /// A SIE file written in UTF-8 is read as UTF-8 (it was read as PC8: "Leverant├╢rsskulder"); a PC8 file as PC8.
    @Test func aSieFileInUTF8IsReadAsUTF8() throws {
        let text = "#FLAGGA 0\n#SIETYP 4\n#KONTO 2440 \"Leverantörsskulder\"\n"
        #expect(try SIEParser.parse(Array(text.utf8)).accounts.first { $0.number == 2440 }?.name == "Leverantörsskulder")
        // The same in PC8: ö is 0x94.
        let pc8 = Array("#FLAGGA 0\n#SIETYP 4\n#KONTO 2440 \"Leverant".utf8) + [0x94] + Array("rsskulder\"\n".utf8)
        #expect(try SIEParser.parse(pc8).accounts.first { $0.number == 2440 }?.name == "Leverantörsskulder")
    }

    @Test func aNulByteInABgMaxFileIsRefusedWithItsLine() throws {
        var bytes = BgMaxTestFile(deposits: [.init(bankgiro: "9912346", date: "20240205", serial: 1, payments: [
            .init(reference: "", öre: 100_00, referenceCode: 1, payerName: "Ankeby kommun"),
        ])]).bytes
        // The payer's name record (26) is the fourth line: put a NUL into the name.
        let nameStart = try #require(bytes.indices.first { bytes[$0] == UInt8(ascii: "A") && bytes[$0 - 2] == UInt8(ascii: "2") && bytes[$0 - 1] == UInt8(ascii: "6") })
        bytes[nameStart + 3] = 0
        let error = try #require(throws: FileError.self) { try BgMaxParser.parse(bytes) }
        #expect(error == FileError(line: 4, reason: "tecknet U+0000 på plats 6 hör inte hemma i en BgMax-fil"))
    }

    @Test func aCamtStatementOfAnAccountInEuroIsRefused() throws {
        var file = CamtParserTests.statement
        file.entries = []
        let xml = file.xml.replacingOccurrences(of: "<Ccy>SEK</Ccy>", with: "<Ccy>EUR</Ccy>")
        let error = try #require(throws: FileError.self) { try CamtParser.parse(Array(xml.utf8)) }
        #expect(error.reason == "kontot SE4550000000058398257466 är i EUR; bara konton i SEK stäms av")
        #expect(error.line == 8)  // <Acct>…<Ccy>EUR</Ccy></Acct>, counted from the XML declaration
    }

    @Test(arguments: [
        ("<Document>\n  <BkToCstmrStmt>\n  </Stmt>\n</Document>", 3, "ett sluttaggsnamn stämmer inte med starttaggen"),
        ("<Document>\n  <A b=c/>\n</Document>", 2, "ett attributvärde saknar citattecken"),
        ("<Document>&nosuch;</Document>", 1, "en entitet (&…;) som inte finns eller inte avslutas"),
    ] as [(String, Int, String)])
    func xmlErrorsAreSwedishWithLineAndColumn(_ xml: String, _ line: Int, _ what: String) throws {
        let error = try #require(throws: FileError.self) { try CamtParser.parse(Array(xml.utf8)) }
        #expect(error.line == line)
        #expect(error.reason.hasPrefix("kolumn "))
        #expect(error.reason.hasSuffix("filen är ingen giltig XML: \(what)"), "\(error.reason)")
    }

    @Test func jsonErrorsAreSwedishWithLineAndColumnOrField() throws {
        let syntax = "{\n  \"date\": \"2026-01-05\",\n  \"text\": ,\n}"
        let error = try #require(throws: FileError.self) { try JSONInput.decode(VoucherDraft.self, from: Data(syntax.utf8)) }
        #expect(error == FileError(line: 3, reason: "kolumn 11: här står inget JSON-värde"))
        let cut = try #require(throws: FileError.self) { try JSONInput.decode(VoucherDraft.self, from: Data("{\"date\": \"2026".utf8)) }
        #expect(cut.reason.hasSuffix("texten tar slut mitt i ett JSON-värde; den kan vara avklippt"))
        let missing = #"{"date": "2026-01-05", "series": "A", "text": "x", "lines": [{"amount": "1"}]}"#
        #expect(try #require(throws: FileError.self) { try JSONInput.decode(VoucherDraft.self, from: Data(missing.utf8)) }
            == FileError(line: nil, reason: "fältet lines[0].account saknas"))
        let wrongType = #"{"date": "2026-01-05", "series": "A", "text": "x", "lines": [{"account": "1930", "amount": "1"}]}"#
        #expect(try #require(throws: FileError.self) { try JSONInput.decode(VoucherDraft.self, from: Data(wrongType.utf8)) }
            == FileError(line: nil, reason: "fältet lines[0].account ska vara ett heltal"))
        let badDate = #"{"date": "2026-02-30", "series": "A", "text": "x", "lines": []}"#
        #expect(try #require(throws: FileError.self) { try JSONInput.decode(VoucherDraft.self, from: Data(badDate.utf8)) }
            == FileError(line: nil, reason: "fältet date: \"2026-02-30\" är inget datum (ÅÅÅÅ-MM-DD)"))
    }
}
