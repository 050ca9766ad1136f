import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads camt.053 (statements) and camt.054 (notifications) of any version the banks send (001.02 to 001.08 and
/// later differ in where the status and the payer's name sit; both places are read). Every amount, date and
/// direction is checked; an error names the line and the element.
public enum CamtParser {
    public static func parse(_ bytes: [UInt8]) throws(CamtError) -> CamtDocument {
        let root: XMLNode
        do { root = try XMLNode.parse(bytes) } catch let error as CamtError { throw error } catch { throw CamtError(line: nil, reason: "\(error)") }
        guard root.name == "Document" else {
            throw CamtError(line: root.line, reason: "filen är inget ISO 20022-dokument (rotelementet är \(root.name), inte Document)")
        }
        let kind: CamtDocument.Kind, reportName: String
        let message: XMLNode
        if let statement = root.child("BkToCstmrStmt") {
            (kind, reportName, message) = (.statement, "Stmt", statement)
        } else if let notification = root.child("BkToCstmrDbtCdtNtfctn") {
            (kind, reportName, message) = (.notification, "Ntfctn", notification)
        } else {
            throw CamtError(line: root.line, reason: "dokumentet är varken camt.053 (BkToCstmrStmt) eller camt.054 (BkToCstmrDbtCdtNtfctn)")
        }
        let messageID = try message.required("GrpHdr").required("MsgId").text
        let reports = try message.children(reportName).map { report throws(CamtError) in try readReport(report) }
        guard !reports.isEmpty else { throw CamtError(line: message.line, reason: "meddelandet har inget \(reportName)") }
        return CamtDocument(kind: kind, messageID: messageID, reports: reports)
    }

    private static func readReport(_ report: XMLNode) throws(CamtError) -> CamtReport {
        let account = try report.required("Acct")
        guard let iban = account.child("Id")?.child("IBAN")?.text, !iban.isEmpty else {
            throw CamtError(line: account.line, reason: "kontot saknar IBAN (Acct/Id/IBAN)")
        }
        // A federation's books are in kronor: a statement of an account in another currency is not its bank account.
        if let currency = account.child("Ccy"), currency.text != "SEK" {
            throw CamtError(line: currency.line, reason: "kontot \(iban) är i \(currency.text); bara konton i SEK stäms av")
        }
        let balances = try report.children("Bal").map { balance throws(CamtError) in
            let code = try balance.required("Tp").required("CdOrPrtry").required("Cd").text
            let amount = try amount(balance.required("Amt"))
            let sign = try direction(balance)
            return CamtBalance(code: code, amount: sign ? amount : -amount, date: try date(balance.required("Dt")))
        }
        let entries = try report.children("Ntry").map { entry throws(CamtError) in try readEntry(entry) }
        return CamtReport(
            id: try report.required("Id").text, iban: iban, currency: account.child("Ccy")?.text, balances: balances, entries: entries)
    }

    private static func readEntry(_ entry: XMLNode) throws(CamtError) -> CamtEntry {
        guard let reference = (entry.child("AcctSvcrRef") ?? entry.child("NtryRef"))?.text, !reference.isEmpty else {
            throw CamtError(line: entry.line, reason: "posten saknar bankens referens (AcctSvcrRef eller NtryRef)")
        }
        let total = try amount(entry.required("Amt"))
        let status = try entry.required("Sts")
        let statusCode = status.child("Cd")?.text ?? status.text
        let transactions = try entry.descendants("TxDtls").map { details throws(CamtError) in
            let amountNode = details.child("Amt") ?? details.child("AmtDtls")?.child("TxAmt")?.child("Amt")
            let strd = details.child("RmtInf")?.children("Strd") ?? []
            let structured = strd.compactMap { $0.child("CdtrRefInf")?.child("Ref")?.text }
            let free = (details.child("RmtInf")?.children("Ustrd") ?? []).map(\.text).filter { !$0.isEmpty }.joined(separator: " ")
            let debtor = details.child("RltdPties")?.child("Dbtr")
            let party = debtor?.child("Pty") ?? debtor
            return CamtTransaction(
                amount: try amountNode.map { node throws(CamtError) in try amount(node) } ?? .zero,
                structuredReferences: structured, text: free.isEmpty ? nil : free,
                payerName: party?.child("Nm")?.text,
                payerIdentity: party?.child("Id")?.child("OrgId")?.child("Othr")?.child("Id")?.text)
        }
        var filled = transactions
        if filled.isEmpty {
            filled = [CamtTransaction(amount: total, structuredReferences: [], text: nil, payerName: nil, payerIdentity: nil)]
        } else if filled.count == 1, filled[0].amount == .zero {
            filled[0].amount = total
        }
        guard let sum = try? filled.sum(\.amount) else {
            throw CamtError(line: entry.line, reason: "postens transaktioner blir tillsammans större än Finsam tillåter "
                + "(högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
        }
        guard sum == total else {
            throw CamtError(line: entry.line, reason:
                "postens belopp \(SwedishNumberFormat.kronor(total)) stämmer inte med transaktionerna (\(SwedishNumberFormat.kronor(sum)))")
        }
        let booking = try entry.required("BookgDt")
        return CamtEntry(
            reference: reference, amount: total, isCredit: try direction(entry), isBooked: statusCode == "BOOK",
            isReversal: entry.child("RvslInd")?.text == "true", bookingDate: try date(booking), transactions: filled, line: entry.line)
    }

    /// `CRDT` or `DBIT`.
    private static func direction(_ node: XMLNode) throws(CamtError) -> Bool {
        let indicator = try node.required("CdtDbtInd")
        switch indicator.text {
        case "CRDT": return true
        case "DBIT": return false
        default: throw CamtError(line: indicator.line, reason: "CdtDbtInd ska vara CRDT eller DBIT, inte \"\(indicator.text)\"")
        }
    }

    /// An amount in kronor with at most two decimals (`1234.5`, `1234.50`), in SEK.
    private static func amount(_ node: XMLNode) throws(CamtError) -> Money {
        let text = node.text
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts.count == 1 || (1...2).contains(parts[1].count)
        else { throw CamtError(line: node.line, reason: "beloppet \"\(text)\" är inget belopp i kronor med högst två decimaler") }
        guard let öre = Money.öre(kronor: String(parts[0]), fraction: parts.count == 2 ? String(parts[1]) : "") else {
            throw CamtError(line: node.line, reason: "beloppet \(text) är större än Finsam tillåter "
                + "(högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
        }
        if let currency = node.attributes["Ccy"], currency != "SEK" {
            throw CamtError(line: node.line, reason: "beloppet är i \(currency); bara SEK bokförs")
        }
        return Money(öre: öre)
    }

    /// `Dt` (a date) or `DtTm` (a date and time: its date as written) under `node`.
    private static func date(_ node: XMLNode) throws(CamtError) -> CalendarDate {
        guard let text = (node.child("Dt") ?? node.child("DtTm"))?.text, let date = CalendarDate(iso: String(text.prefix(10))) else {
            throw CamtError(line: node.line, reason: "\(node.name) saknar ett datum (Dt eller DtTm)")
        }
        return date
    }
}

/// An element of the file: its local name (without namespace prefix), attributes, text and children.
final class XMLNode {
    let name: String
    let attributes: [String: String]
    let line: Int
    var text = ""
    var childNodes: [XMLNode] = []

    init(name: String, attributes: [String: String], line: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
    }

    func child(_ name: String) -> XMLNode? { childNodes.first { $0.name == name } }
    func children(_ name: String) -> [XMLNode] { childNodes.filter { $0.name == name } }
    func descendants(_ name: String) -> [XMLNode] { childNodes.flatMap { $0.name == name ? [$0] : $0.descendants(name) } }

    func required(_ name: String) throws(CamtError) -> XMLNode {
        guard let node = child(name) else { throw CamtError(line: line, reason: "\(self.name) saknar \(name)") }
        return node
    }

    static func parse(_ bytes: [UInt8]) throws -> XMLNode {
        // ISO 20022 messages are UTF-8. FoundationXML traps on an element or attribute name that is not (found by
        // fuzzing: `<Stmt\xED\xED/>` stopped the program), so bytes that are no UTF-8 never reach it.
        if let line = firstLineNotUTF8(bytes) {
            throw CamtError(line: line, reason: "filen är inte UTF-8, som ISO 20022-filer ska vara")
        }
        // A processing instruction without data (`<?x?>`) makes FoundationXML dereference null (found by fuzzing);
        // a DTD opens entity declarations and expansion. A bank's statement has neither, beyond the XML declaration.
        if let (line, what) = firstMarkupCamtHasNot(bytes) {
            throw CamtError(line: line, reason: "filen innehåller \(what), som en camt-fil inte har")
        }
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        builder.parser = parser
        let parsed = parser.parse()
        guard parsed, builder.failure == nil, let root = builder.root else {
            // Where the parser stood when it found the error (it may read on before it returns).
            let code = builder.failureCode ?? (parser.parserError as NSError?)?.code
            throw CamtError(line: builder.failureLine ?? parser.lineNumber,
                reason: "kolumn \(builder.failureColumn ?? parser.columnNumber): filen är ingen giltig XML: \(XMLNode.swedish(errorCode: code))")
        }
        // A file cut short can end inside an element without the parser saying so.
        if let open = builder.openElement {
            throw CamtError(line: parser.lineNumber, reason: "filen är ingen giltig XML: den tar slut inuti <\(open)>, den kan vara avklippt")
        }
        return root
    }
}

extension XMLNode {
    /// The line of the first byte sequence that is not UTF-8, nil when all are.
    static func firstLineNotUTF8(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return nil
            case .error: return line
            }
        }
    }

    /// The line and name of the first processing instruction (other than the XML declaration at the start) or
    /// document type declaration, nil when there is none.
    static func firstMarkupCamtHasNot(_ bytes: [UInt8]) -> (Int, String)? {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
            } else if byte == UInt8(ascii: "<"), index + 1 < bytes.count {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "?") {
                    let isDeclaration = index == start && bytes[index...].starts(with: Array("<?xml".utf8))
                        && index + 5 < bytes.count && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index + 5])
                    if !isDeclaration { return (line, "en bearbetningsinstruktion (<?…?>)") }
                } else if next == UInt8(ascii: "!"), bytes[index...].starts(with: Array("<!DOCTYPE".utf8))
                    || bytes[index...].starts(with: Array("<!ENTITY".utf8))
                {
                    return (line, "en dokumenttypdeklaration (<!DOCTYPE …>)")
                }
            }
            index += 1
        }
        return nil
    }

    /// What libxml2's error number (XMLParser's error code) means, in Swedish: the common ones by name, the rest
    /// by number.
    static func swedish(errorCode code: Int?) -> String {
        guard let code else { return "okänt fel" }
        switch code {
        case 4: return "filen är tom"
        case 3: return "filen börjar inte med ett XML-element"
        case 5: return "filen tar slut för tidigt; den kan vara avklippt"
        case 6, 7, 8, 10: return "en ogiltig teckenreferens (&#…;)"
        case 9: return "ett tecken som XML inte tillåter (ett styrtecken eller fel teckenkodning)"
        case 23, 24, 26, 27, 36, 37: return "en entitet (&…;) som inte finns eller inte avslutas"
        case 31, 32: return "okänd teckenkodning"
        case 33, 34, 39, 40, 41, 43, 44: return "ett attributvärde saknar citattecken"
        case 38: return "'<' i ett attributvärde"
        case 42: return "ett attribut står två gånger i samma element"
        case 68: return "ett element- eller attributnamn saknas"
        case 73: return "'>' saknas"
        case 76: return "ett sluttaggsnamn stämmer inte med starttaggen"
        case 77: return "ett element avslutas inte"
        case 86: return "text efter dokumentets slut"
        case 89: return "entiteter som refererar till sig själva"
        default: return "XML-fel nummer \(code)"
        }
    }
}

/// Builds the element tree as the parser reports it.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    weak var parser: XMLParser?
    var root: XMLNode?
    private var stack: [XMLNode] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:])
    {
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        let node = XMLNode(name: local, attributes: attributes, line: parser.lineNumber)
        if let parent = stack.last { parent.childNodes.append(node) } else { root = node }
        stack.append(node)
    }

    var failure: String?
    var openElement: String? { stack.last?.name }

    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

    var failureCode: Int?
    var failureLine: Int?
    var failureColumn: Int?

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if failure == nil {
            failure = "\(parseError.localizedDescription)"
            failureCode = (parseError as NSError).code
            failureLine = parser.lineNumber
            failureColumn = parser.columnNumber
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if let node = stack.popLast() { node.text = node.text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
