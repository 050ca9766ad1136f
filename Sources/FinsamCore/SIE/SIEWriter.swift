/// Writes a SIE 4E file (export of a year's ledger) in PC8 with a #KSUMMA checksum, so that the receiving
/// program can tell that nothing was lost or changed on the way.
public struct SIEWriter {
    public struct Header: Sendable {
        public var programVersion: String
        public var generated: CalendarDate
        public var generatedBy: String
        public var companyName: String
        public var organisationNumber: String

        public init(programVersion: String, generated: CalendarDate, generatedBy: String, companyName: String,
            organisationNumber: String)
        {
            self.programVersion = programVersion
            self.generated = generated
            self.generatedBy = generatedBy
            self.companyName = companyName
            self.organisationNumber = organisationNumber
        }
    }

    private var output: [UInt8] = []
    private var checksum = SIEChecksum()

    /// The whole file: header, chart, dimensions and objects, balances, vouchers, checksum.
    public static func write(_ file: SIEFile, header: Header) -> [UInt8] {
        var writer = SIEWriter()
        writer.item("#FLAGGA", ["0"], counted: false)
        // The checksum covers the items between the two #KSUMMA, not the opening #KSUMMA itself (SIEChecksum).
        writer.item("#KSUMMA", [], counted: false)
        writer.item("#PROGRAM", [.quoted("Finsam"), .quoted(header.programVersion)])
        writer.item("#FORMAT", ["PC8"])
        writer.item("#GEN", [.plain(header.generated.compact), .quoted(header.generatedBy)])
        writer.item("#SIETYP", ["4"])
        writer.item("#ORGNR", [.plain(header.organisationNumber)])
        writer.item("#FNAMN", [.quoted(header.companyName)])
        for index in file.fiscalYears.keys.sorted(by: >) {
            let range = file.fiscalYears[index]!
            writer.item("#RAR", [.plain(String(index)), .plain(range.lowerBound.compact), .plain(range.upperBound.compact)])
        }
        for (number, name) in file.accounts {
            writer.item("#KONTO", [.plain(String(number)), .quoted(name)])
            writer.item("#KTYP", [.plain(String(number)), .plain(Self.accountType(number))])
        }
        for dimension in file.dimensions.keys.sorted() {
            writer.item("#DIM", [.plain(String(dimension)), .quoted(file.dimensions[dimension]!)])
        }
        for object in file.objects.keys.sorted(by: { ($0.dimension, $0.id) < ($1.dimension, $1.id) }) {
            writer.item("#OBJEKT", [.plain(String(object.dimension)), .quoted(object.id), .quoted(file.objects[object]!)])
        }
        for (label, balances) in [("#IB", file.openingBalances), ("#UB", file.closingBalances), ("#RES", file.results)] {
            for balance in balances {
                writer.item(label, [.plain(String(balance.yearIndex)), .plain(String(balance.account)),
                    .plain(balance.amount.description)])
            }
        }
        for voucher in file.vouchers {
            writer.item("#VER", [.quoted(voucher.series), .quoted(voucher.number), .plain(voucher.date.compact),
                .quoted(voucher.text)])
            writer.raw("{")
            for line in voucher.lines {
                var fields: [Field] = [.plain(String(line.account)), .objects(line.objects),
                    .plain(line.amount.description)]
                if let text = line.text { fields += [.plain(voucher.date.compact), .quoted(text)] }
                writer.item("#TRANS", fields)
            }
            writer.raw("}")
        }
        let value = writer.checksum.value
        writer.item("#KSUMMA", [.plain(String(value))], counted: false)
        return writer.output
    }

    /// #KTYP: T tillgång, S skuld (and equity), I intäkt, K kostnad; class 8 by sign convention of BAS
    /// (8000–8399 income, the rest costs).
    static func accountType(_ number: Int) -> String {
        switch AccountNumber.group(number) ?? 0 {
        case 1000...1999: "T"
        case 2000...2999: "S"
        case 3000...3999: "I"
        case 8000...8399: "I"
        default: "K"
        }
    }

    enum Field: ExpressibleByStringLiteral {
        case plain(String)
        case quoted(String)
        case objects([SIEFile.Object])

        init(stringLiteral value: String) { self = .plain(value) }
    }

    private mutating func item(_ label: String, _ fields: [Field], counted: Bool = true) {
        var line = label
        if counted { checksum.add(label) }
        for field in fields {
            line += " "
            switch field {
            case .plain(let value):
                line += value
                if counted { checksum.add(value) }
            case .quoted(let value):
                let clean = value.withoutLineBreaks
                line += "\"" + clean.escapingQuotes + "\""
                if counted { checksum.add(clean) }
            case .objects(let objects):
                line += "{" + objects.map { "\($0.dimension) \"\($0.id.escapingQuotes)\"" }.joined(separator: " ") + "}"
                if counted {
                    for object in objects {
                        checksum.add(String(object.dimension))
                        checksum.add(object.id)
                    }
                }
            }
        }
        raw(line)
    }

    private mutating func raw(_ line: String) {
        output += CodePage437.encode(line)
        output += [13, 10]
    }
}

extension String {
    fileprivate var withoutLineBreaks: String { String(filter { $0 != "\n" && $0 != "\r" }) }

    fileprivate var escapingQuotes: String {
        var result = ""
        for character in self {
            if character == "\"" { result += "\\\"" } else { result.append(character) }
        }
        return result
    }
}
