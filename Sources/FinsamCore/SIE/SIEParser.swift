/// Reads a SIE 4 file (types 4E and 4I) from its bytes. Strict where bookkeeping depends on it (amounts,
/// dates, accounts, balanced braces, the checksum), tolerant of items it does not use. Any problem throws
/// with the line number: a file is taken whole or not at all.
public enum SIEParser {
    /// The whole file, its vouchers included.
    public static func parse(_ bytes: [UInt8]) throws(SIEError) -> SIEFile {
        var reader = SIEReader(bytes)
        var vouchers: [SIEFile.Voucher] = []
        while let voucher = try reader.next() { vouchers.append(voucher) }
        var file = reader.file
        file.vouchers = vouchers
        return file
    }

    static func field(_ item: SIEItem, _ index: Int, _ name: String) throws(SIEError) -> String {
        guard index < item.fields.count, let value = item.fields[index].text else {
            throw SIEError(line: item.line, reason: "\(item.label) saknar \(name)")
        }
        return value
    }

    static func integer(_ item: SIEItem, _ index: Int, _ name: String) throws(SIEError) -> Int {
        let value = try field(item, index, name)
        guard let number = Int(value) else {
            throw SIEError(line: item.line, reason: "\(item.label): \(name) \"\(value)\" är inget heltal")
        }
        return number
    }

    /// The account a `#KONTO` or `#KTYP` declares; nil (and noted in `unusableAccounts`) when the number is none
    /// Finsam's chart can hold: a declaration alone harms nothing, and real files have them (`#KONTO DIFF`).
    static func declaredAccount(_ item: SIEItem, in file: inout SIEFile) throws(SIEError) -> Int? {
        let value = try field(item, 0, "kontonummer")
        guard let number = AccountNumber.parse(value) else {
            if file.unusableAccounts[value] == nil { file.unusableAccounts[value] = item.line }
            return nil
        }
        return number
    }

    static func account(_ item: SIEItem, _ index: Int) throws(SIEError) -> Int {
        let value = try field(item, index, "kontonummer")
        guard let number = AccountNumber.parse(value) else {
            throw SIEError(line: item.line, reason: "\(item.label): \"\(value)\" är inget kontonummer (\(AccountNumber.rule))")
        }
        return number
    }

    static func date(_ item: SIEItem, _ index: Int, _ name: String) throws(SIEError) -> CalendarDate {
        let value = try field(item, index, name)
        guard value.count == 8, let date = CalendarDate(iso: value) else {
            throw SIEError(line: item.line, reason: "\(item.label): \(name) \"\(value)\" är inget datum (ÅÅÅÅMMDD)")
        }
        return date
    }

    /// SIE amounts: an optional minus, digits, and at most two decimals after a point (trailing zeros beyond
    /// two are accepted, anything else is not an amount in öre).
    static func amount(_ item: SIEItem, _ index: Int) throws(SIEError) -> Money {
        let value = try field(item, index, "belopp")
        guard let money = parseAmount(value) else {
            throw SIEError(line: item.line, reason: "\(item.label): \"\(value)\" är inget belopp i kronor och öre "
                + "(högst två decimaler och högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
        }
        return money
    }

    /// The file's characters. SIE 4 files are PC8 (code page 437), but some programs write UTF-8: bytes that are
    /// valid UTF-8 and not all ASCII are read as UTF-8 (PC8 text of Swedish names never is: å, ä, ö are single bytes
    /// from 0x84 to 0x94, which UTF-8 never has alone). "Leverantörsskulder" stays itself, not "Leverant├╢rsskulder".
    public static func decode(_ bytes: [UInt8]) -> String {
        if bytes.contains(where: { $0 >= 0x80 }), let text = String(validating: bytes, as: UTF8.self) {
            return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        }
        return CodePage437.decode(bytes)
    }

    public static func parseAmount(_ text: String) -> Money? {
        var body = Substring(text)
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty else { return nil }
        var fraction = parts.count == 2 ? parts[1] : ""
        if parts.count == 2 && fraction.isEmpty { return nil }
        while fraction.count > 2, fraction.last == "0" { fraction = fraction.dropLast() }
        guard let öre = Money.öre(kronor: String(parts[0]), fraction: String(fraction)) else { return nil }
        return Money(öre: negative ? -öre : öre)
    }
}

/// Reads a SIE file voucher by voucher, so that a large file's vouchers need not all be held at once (SIEImport
/// reads a file twice: once to check and plan it, once to write it batch by batch). `file` gathers everything
/// else (the chart, the balances, the budget); it is complete once `next()` has returned nil, which it does
/// only after the checks of the whole file (the checksum, an unclosed voucher).
public struct SIEReader {
    /// The file read so far, without its vouchers.
    public private(set) var file = SIEFile()
    /// How many vouchers `next()` has returned.
    public private(set) var voucherCount = 0
    let text: String
    var position: String.Index
    var checksum: SIEChecksum?
    var openVoucher: SIEFile.Voucher?
    var insideBlock = false
    var lineNumber = 0
    var sawFlag = false
    var finished = false

    public init(_ bytes: [UInt8]) {
        text = SIEParser.decode(bytes)
        position = text.startIndex
    }

    /// The next line, without its line break ("\r\n" is one Character in Swift, so either form ends a line).
    mutating func nextLine() -> Substring? {
        guard position < text.endIndex else { return nil }
        let end = text[position...].firstIndex { $0 == "\n" || $0 == "\r\n" } ?? text.endIndex
        let line = text[position..<end]
        position = end < text.endIndex ? text.index(after: end) : end
        return line
    }

    /// The next voucher, or nil at the end of the file (after its closing checks).
    public mutating func next() throws(SIEError) -> SIEFile.Voucher? {
        guard !finished else { return nil }
        while let rawLine = nextLine() {
            lineNumber += 1
            guard let item = try SIEItem.parse(rawLine, line: lineNumber) else { continue }
            if item.label == "#KSUMMA" {
                if checksum == nil && file.statedChecksum == nil && item.fields.isEmpty {
                    checksum = SIEChecksum()
                    continue
                }
                guard checksum != nil, let value = item.fields.first?.text, let stated = UInt32(value) else {
                    throw SIEError(line: lineNumber, reason: "#KSUMMA utan giltig kontrollsumma")
                }
                file.statedChecksum = stated
                file.computedChecksum = checksum?.value
                checksum = nil
                continue
            }
            if item.label != "{" && item.label != "}" {
                for part in item.checksumParts { checksum?.add(part) }
            }
            switch item.label {
            case "{":
                guard openVoucher != nil, !insideBlock else {
                    throw SIEError(line: lineNumber, reason: "{ utan föregående #VER")
                }
                insideBlock = true
            case "}":
                guard insideBlock, let voucher = openVoucher else {
                    throw SIEError(line: lineNumber, reason: "} utan motsvarande {")
                }
                openVoucher = nil
                insideBlock = false
                voucherCount += 1
                return voucher
            case "#FLAGGA":
                sawFlag = true
            case "#PROGRAM":
                file.program = item.fields.compactMap(\.text).joined(separator: " ")
            case "#SIETYP":
                file.sieType = item.fields.first?.text.flatMap { Int($0) }
            case "#FNAMN":
                file.companyName = item.fields.first?.text
            case "#ORGNR":
                file.organisationNumber = item.fields.first?.text
            case "#RAR":
                // BL Administration writes `#RAR 0` with no dates in its SIE 4I files (vouchers to import, no
                // balances): a year that names no dates tells nothing, and is left out.
                if item.fields.count == 1 { break }
                let index = try SIEParser.integer(item, 0, "årsnummer")
                let start = try SIEParser.date(item, 1, "startdatum")
                let end = try SIEParser.date(item, 2, "slutdatum")
                guard start <= end else { throw SIEError(line: lineNumber, reason: "räkenskapsåret slutar före start") }
                file.fiscalYears[index] = start...end
            case "#KONTO":
                guard let number = try SIEParser.declaredAccount(item, in: &file) else { break }
                file.accounts.append((number, item.fields.count > 1 ? item.fields[1].text ?? "" : ""))
            case "#KTYP":
                guard let number = try SIEParser.declaredAccount(item, in: &file) else { break }
                if let type = item.fields.count > 1 ? item.fields[1].text?.uppercased().first : nil, "TSIK".contains(type) {
                    file.accountTypes[number] = type
                }
            case "#DIM":
                file.dimensions[try SIEParser.integer(item, 0, "dimensionsnummer")] = item.fields.count > 1
                    ? item.fields[1].text ?? "" : ""
            case "#UNDERDIM":
                file.dimensions[try SIEParser.integer(item, 0, "dimensionsnummer")] = item.fields.count > 1
                    ? item.fields[1].text ?? "" : ""
            case "#OBJEKT":
                let dimension = try SIEParser.integer(item, 0, "dimensionsnummer")
                let id = try SIEParser.field(item, 1, "objektnummer")
                file.objects[SIEFile.Object(dimension: dimension, id: id)] =
                    item.fields.count > 2 ? item.fields[2].text ?? id : id
            case "#PBUDGET":
                // #PBUDGET årsnr period konto {objekt} belopp: only the account's own budget, not one per object.
                guard item.fields.count >= 5, case .objectList(let objects) = item.fields[3], objects.isEmpty else { break }
                let period = try SIEParser.field(item, 1, "period")
                guard period.count == 6, let year = Int(period.prefix(4)), let month = Int(period.suffix(2)),
                    (1900...2200).contains(year), (1...12).contains(month)
                else { throw SIEError(line: lineNumber, reason: "#PBUDGET: perioden \"\(period)\" är ingen månad (ÅÅÅÅMM)") }
                file.budgets.append(SIEFile.PeriodBudget(
                    year: year, month: month, account: try SIEParser.account(item, 2), amount: try SIEParser.amount(item, 4), line: lineNumber))
            case "#IB", "#UB", "#RES":
                let balance = SIEFile.Balance(
                    yearIndex: try SIEParser.integer(item, 0, "årsnummer"), account: try SIEParser.account(item, 1),
                    amount: try SIEParser.amount(item, 2), line: lineNumber)
                switch item.label {
                case "#IB": file.openingBalances.append(balance)
                case "#UB": file.closingBalances.append(balance)
                default: file.results.append(balance)
                }
            case "#VER":
                guard openVoucher == nil else {
                    throw SIEError(line: lineNumber, reason: "#VER inuti en annan verifikation")
                }
                openVoucher = SIEFile.Voucher(
                    series: item.fields.first?.text ?? "", number: item.fields.count > 1 ? item.fields[1].text ?? "" : "",
                    date: try SIEParser.date(item, 2, "verifikationsdatum"),
                    text: item.fields.count > 3 ? item.fields[3].text ?? "" : "", lines: [], line: lineNumber)
            case "#TRANS":
                guard insideBlock else { throw SIEError(line: lineNumber, reason: "#TRANS utanför en verifikation") }
                var objects: [SIEFile.Object] = []
                guard item.fields.count >= 3, case .objectList(let members) = item.fields[1] else {
                    throw SIEError(line: lineNumber, reason: "#TRANS behöver konto, objektlista och belopp")
                }
                guard members.count % 2 == 0 else {
                    throw SIEError(line: lineNumber, reason: "objektlistan ska ha par av dimension och objekt")
                }
                for pair in stride(from: 0, to: members.count, by: 2) {
                    guard let dimension = Int(members[pair]) else {
                        throw SIEError(line: lineNumber, reason: "\"\(members[pair])\" är inget dimensionsnummer")
                    }
                    objects.append(SIEFile.Object(dimension: dimension, id: members[pair + 1]))
                }
                let text = item.fields.count > 4 ? item.fields[4].text.flatMap { $0.isEmpty ? nil : $0 } : nil
                openVoucher?.lines.append(SIEFile.Transaction(
                    account: try SIEParser.account(item, 0), objects: objects, amount: try SIEParser.amount(item, 2), text: text,
                    line: lineNumber))
            case "#RTRANS", "#BTRANS":
                // Rows added (#RTRANS, always followed by an identical #TRANS) or removed (#BTRANS) after
                // registration: the #TRANS rows are the voucher as it stands.
                guard insideBlock else {
                    throw SIEError(line: lineNumber, reason: "\(item.label) utanför en verifikation")
                }
            default:
                if insideBlock {
                    throw SIEError(line: lineNumber, reason: "\(item.label) får inte stå inuti en verifikation")
                }
            }
        }
        finished = true
        guard sawFlag || voucherCount > 0 || !file.accounts.isEmpty else {
            throw SIEError(line: nil, reason: "filen är ingen SIE-fil (saknar #FLAGGA)")
        }
        if openVoucher != nil {
            throw SIEError(line: lineNumber, reason: "filen slutar inuti en verifikation")
        }
        if checksum != nil {
            throw SIEError(line: lineNumber, reason: "#KSUMMA inleds men avslutas aldrig")
        }
        if let stated = file.statedChecksum, let computed = file.computedChecksum, stated != computed {
            throw SIEError(line: nil, reason: "kontrollsumman stämmer inte: filen anger \(stated), innehållet ger \(computed)")
        }
        return nil
    }
}
