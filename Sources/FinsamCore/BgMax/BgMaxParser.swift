/// Reads a BgMax file: fixed-width records of 80 characters in ISO 8859-1, one per line (Bankgirot's
/// "Bankgiro Inbetalningar, BgMax" layout, version 01). Positions below are 1-based, as in Bankgirot's manual.
///
/// The whole file is checked before anything is returned: every field's form, each deposit's total and count
/// against its payments, and the end record's counts against the file. A line shorter than 80 characters is read
/// as if padded with spaces (trailing spaces are often lost in transit). A tab is expanded to the next multiple
/// of eight columns: Bankgirot's own example file, as distributed, has tabs where an editor replaced spaces.
public enum BgMaxParser {
    public static func parse(_ bytes: [UInt8]) throws(BgMaxError) -> BgMaxFile {
        var reader = Reader()
        var lines = split(bytes)
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard !lines.isEmpty else { throw BgMaxError(line: nil, reason: "filen är tom") }
        for (index, line) in lines.enumerated() {
            try reader.read(Record(number: index + 1, bytes: line))
        }
        return try reader.finish(lineCount: lines.count)
    }

    private static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for index in lines.indices where lines[index].last == UInt8(ascii: "\r") {
            lines[index] = lines[index].dropLast()
        }
        return lines
    }
}

/// One line of the file, as 80 characters.
private struct Record {
    static let width = 80
    let number: Int
    let characters: [Character]

    init(number: Int, bytes: ArraySlice<UInt8>) throws(BgMaxError) {
        self.number = number
        var characters: [Character] = []
        characters.reserveCapacity(Record.width)
        for byte in bytes {
            if byte == UInt8(ascii: "\t") {
                repeat { characters.append(" ") } while characters.count % 8 != 0
            } else if byte < 0x20 || (0x7F...0x9F).contains(byte) {
                // A control character (NUL among them) is no part of a BgMax record, and could not be kept as text.
                throw BgMaxError(line: number, reason: "tecknet \(PlainText.codePoint(Unicode.Scalar(byte))) på plats "
                    + "\(characters.count + 1) hör inte hemma i en BgMax-fil")
            } else {
                // ISO 8859-1: each byte is the Unicode scalar of the same number.
                characters.append(Character(Unicode.Scalar(byte)))
            }
        }
        guard characters.count <= Record.width else {
            throw BgMaxError(line: number, reason: "posten är \(characters.count) tecken lång, högst \(Record.width) får plats")
        }
        characters += Array(repeating: " ", count: Record.width - characters.count)
        self.characters = characters
    }

    var type: String { text(1, 2) }

    /// The characters from position `from` to `to`, both included.
    func text(_ from: Int, _ to: Int) -> String { String(characters[(from - 1)..<to]) }

    /// A text field without its padding; nil when blank.
    func trimmed(_ from: Int, _ to: Int) -> String? {
        let value = text(from, to).trimmingSpaces
        return value.isEmpty ? nil : value
    }

    /// A field of digits only, as text.
    func digits(_ from: Int, _ to: Int, _ name: String) throws(BgMaxError) -> String {
        let value = text(from, to)
        guard value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw BgMaxError(line: number, reason: "\(name) (position \(from)–\(to)) ska vara siffror, inte \"\(value)\"")
        }
        return value
    }

    func number(_ from: Int, _ to: Int, _ name: String) throws(BgMaxError) -> Int64 {
        Int64(try digits(from, to, name))!
    }

    /// An amount field in öre (BgMax gives 18 digits), within Finsam's limit.
    func amount(_ from: Int, _ to: Int, _ name: String) throws(BgMaxError) -> Money {
        let amount = Money(öre: try number(from, to, name))
        guard amount.isWithinLimit else {
            throw failure("\(name) \(SwedishNumberFormat.kronor(amount)) kr är större än Finsam tillåter "
                + "(högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
        }
        return amount
    }

    /// A bankgiro number field (ten digits, zero-filled): the number without its leading zeros, nil when all zero.
    func bankgiro(_ from: Int, _ to: Int, _ name: String) throws(BgMaxError) -> String? {
        let value = try digits(from, to, name).drop { $0 == "0" }
        return value.isEmpty ? nil : String(value)
    }

    func date(_ from: Int, _ to: Int, _ name: String) throws(BgMaxError) -> CalendarDate {
        let value = try digits(from, to, name)
        let year = Int(value.prefix(4))!, month = Int(value.dropFirst(4).prefix(2))!, day = Int(value.suffix(2))!
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            throw BgMaxError(line: number, reason: "\(name) \(value) är inget datum")
        }
        return date
    }

    func failure(_ reason: String) -> BgMaxError { BgMaxError(line: number, reason: reason) }
}

/// The state of a file being read: the open deposit and the payment whose records are being collected.
private struct Reader {
    var writtenAt: String?
    var version = ""
    var isTest = false
    var deposits: [BgMaxDeposit] = []
    var end: (payments: Int, deductions: Int, extraReferences: Int, deposits: Int)?

    /// The bankgiro, currency and line of the opening record (TK05) of the deposit being read.
    var opening: (bankgiro: String, currency: String, line: Int)?
    var payments: [BgMaxPayment] = []
    var counted = (payments: 0, deductions: 0, extraReferences: 0)

    mutating func read(_ record: Record) throws(BgMaxError) {
        if end != nil { throw record.failure("inga poster får följa slutposten (70)") }
        if writtenAt == nil && record.type != "01" {
            throw record.failure("filen ska börja med startposten 01 BGMAX, inte med posttyp \(record.type)")
        }
        switch record.type {
        case "01": try start(record)
        case "05": try open(record)
        case "20", "21": try payment(record)
        case "22", "23": try extraReference(record)
        case "25":
            let text = record.trimmed(3, 52) ?? ""
            try updateLastPayment(record) { $0.information.append(text) }
        case "26":
            let name = [record.trimmed(3, 37), record.trimmed(38, 72)].compactMap { $0 }.joined(separator: " ")
            try updateLastPayment(record) { $0.payerName = name.isEmpty ? nil : name }
        case "27":
            let address = record.trimmed(3, 37), postcode = record.trimmed(38, 46)
            try updateLastPayment(record) { $0.payerAddress = address; $0.payerPostcode = postcode }
        case "28":
            let town = record.trimmed(3, 37)
            try updateLastPayment(record) { $0.payerTown = town }
        case "29":
            let value = try record.digits(3, 14, "organisationsnumret")
            try updateLastPayment(record) { $0.payerOrganisationNumber = value.allSatisfy({ $0 == "0" }) ? nil : value }
        case "15": try close(record)
        case "70":
            end = (
                Int(try record.number(3, 10, "antalet betalningsposter")),
                Int(try record.number(11, 18, "antalet avdragsposter")),
                Int(try record.number(19, 26, "antalet extra referensnummerposter")),
                Int(try record.number(27, 34, "antalet insättningsposter")))
        default:
            throw record.failure("okänd posttyp \"\(record.type)\"")
        }
    }

    mutating func start(_ record: Record) throws(BgMaxError) {
        guard writtenAt == nil else { throw record.failure("filen har två startposter (01)") }
        guard record.text(3, 22).trimmingSpaces == "BGMAX" else {
            throw record.failure("startposten ska ha layoutnamnet BGMAX, inte \"\(record.text(3, 22).trimmingSpaces)\"")
        }
        version = try record.digits(23, 24, "versionen")
        guard version == "01" else { throw record.failure("BgMax version \(version) stöds inte (version 01)") }
        writtenAt = try record.digits(25, 44, "tidsstämpeln")
        switch record.text(45, 45) {
        case "P": isTest = false
        case "T": isTest = true
        default: throw record.failure("testmarkeringen (position 45) ska vara P eller T, inte \"\(record.text(45, 45))\"")
        }
    }

    mutating func open(_ record: Record) throws(BgMaxError) {
        if let opening { throw record.failure("ny öppningspost (05) innan insättningen från rad \(opening.line) har avslutats (15)") }
        guard let bankgiro = try record.bankgiro(3, 12, "mottagarens bankgironummer") else {
            throw record.failure("öppningsposten saknar mottagarens bankgironummer")
        }
        guard let currency = record.trimmed(23, 25) else { throw record.failure("öppningsposten saknar valuta") }
        opening = (bankgiro, currency, record.number)
        payments = []
    }

    mutating func payment(_ record: Record) throws(BgMaxError) {
        guard opening != nil else { throw record.failure("betalningsposten (\(record.type)) står utanför en insättning (05 … 15)") }
        let kind: BgMaxPayment.Kind
        if record.type == "21" {
            guard let code = Int(record.text(71, 71)), (0...2).contains(code) else {
                throw record.failure("avdragskoden (position 71) ska vara 0, 1 eller 2, inte \"\(record.text(71, 71))\"")
            }
            kind = .deduction(code: code)
            counted.deductions += 1
        } else {
            kind = .payment
            counted.payments += 1
        }
        let fields = try referenceFields(record)
        payments.append(BgMaxPayment(
            kind: kind, senderBankgiro: fields.bankgiro, reference: fields.reference, amount: fields.amount,
            referenceCode: fields.code, channel: fields.channel, bgcSerialNumber: fields.serial,
            hasImage: fields.hasImage, line: record.number))
    }

    mutating func extraReference(_ record: Record) throws(BgMaxError) {
        let fields = try referenceFields(record)
        counted.extraReferences += 1
        let extra = BgMaxPayment.ExtraReference(
            reference: fields.reference ?? "", amount: fields.amount, isNegative: record.type == "23", line: record.number)
        try updateLastPayment(record) { $0.extraReferences.append(extra) }
    }

    /// Positions 3–70, common to the payment, deduction and extra-reference records.
    func referenceFields(_ record: Record) throws(BgMaxError) -> (
        bankgiro: String?, reference: String?, amount: Money, code: BgMaxPayment.ReferenceCode,
        channel: BgMaxPayment.Channel, serial: String, hasImage: Bool
    ) {
        let bankgiro = try record.bankgiro(3, 12, "avsändarens bankgironummer")
        let amount = try record.amount(38, 55, "beloppet")
        guard let code = Int(record.text(56, 56)).flatMap(BgMaxPayment.ReferenceCode.init(rawValue:)) else {
            throw record.failure("referenskoden (position 56) ska vara 0–5, inte \"\(record.text(56, 56))\"")
        }
        guard let channel = Int(record.text(57, 57)).flatMap(BgMaxPayment.Channel.init(rawValue:)) else {
            throw record.failure("betalningskanalkoden (position 57) ska vara 1–4, inte \"\(record.text(57, 57))\"")
        }
        let serial = try record.digits(58, 69, "BGC-löpnumret")
        let image = record.text(70, 70)
        guard image == "0" || image == "1" else {
            throw record.failure("avibildmarkeringen (position 70) ska vara 0 eller 1, inte \"\(image)\"")
        }
        return (bankgiro, record.trimmed(13, 37), amount, code, channel, serial, image == "1")
    }

    /// The payment the information, name, address and extra-reference records belong to.
    mutating func updateLastPayment(_ record: Record, _ change: (inout BgMaxPayment) -> Void) throws(BgMaxError) {
        guard opening != nil, !payments.isEmpty else {
            throw record.failure("posttyp \(record.type) ska följa en betalnings- eller avdragspost (20 eller 21)")
        }
        change(&payments[payments.count - 1])
    }

    mutating func close(_ record: Record) throws(BgMaxError) {
        guard let opening else { throw record.failure("insättningsposten (15) saknar sin öppningspost (05)") }
        let bankAccount = record.text(3, 37).trimmingSpaces
        let date = try record.date(38, 45, "betalningsdagen")
        let serial = Int(try record.number(46, 50, "insättningens löpnummer"))
        let amount = try record.amount(51, 68, "insättningens belopp")
        let currency = record.text(69, 71).trimmingSpaces
        let count = Int(try record.number(72, 79, "antalet betalningar"))
        guard currency == opening.currency else {
            throw record.failure("insättningen är i \(currency), men öppningsposten på rad \(opening.line) sa \(opening.currency)")
        }
        guard count == payments.count else {
            throw record.failure("insättningen säger \(count) betalningar, men \(payments.count) står före den")
        }
        guard let sum = try? payments.sum(\.signedAmount) else {
            throw record.failure("insättningens betalningar blir tillsammans större än Finsam tillåter "
                + "(högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
        }
        guard sum == amount else {
            throw record.failure(
                "insättningens belopp \(SwedishNumberFormat.kronor(amount)) kr stämmer inte med betalningarna (\(SwedishNumberFormat.kronor(sum)) kr)")
        }
        deposits.append(BgMaxDeposit(
            bankgiro: opening.bankgiro, currency: currency, paymentDate: date, serialNumber: serial,
            bankAccount: bankAccount, amount: amount, payments: payments, line: record.number))
        self.opening = nil
        payments = []
    }

    func finish(lineCount: Int) throws(BgMaxError) -> BgMaxFile {
        if let opening {
            throw BgMaxError(line: opening.line, reason: "insättningen som börjar här avslutas aldrig med en insättningspost (15)")
        }
        guard let end else { throw BgMaxError(line: lineCount, reason: "filen slutar utan slutpost (70): den kan vara avklippt") }
        let actual = (counted.payments, counted.deductions, counted.extraReferences, deposits.count)
        guard end == actual else {
            throw BgMaxError(line: lineCount, reason:
                "slutposten räknar \(end.payments) betalningar, \(end.deductions) avdrag, \(end.extraReferences) extra referenser "
                + "och \(end.deposits) insättningar; filen har \(actual.0), \(actual.1), \(actual.2) och \(actual.3)")
        }
        return BgMaxFile(writtenAt: writtenAt!, version: version, isTest: isTest, deposits: deposits)
    }
}
