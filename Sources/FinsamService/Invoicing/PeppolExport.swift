import FinsamCore
import Postgres

/// One Peppol BIS Billing 3.0 file: an invoice or a credit note as UBL XML, with the name it is saved under.
public struct PeppolFile: Sendable, Equatable {
    /// `norralv-faktura-2024-17.xml` or `norralv-kreditfaktura-2024-20.xml`.
    public var fileName: String
    public var xml: String

    public init(fileName: String, xml: String) {
        self.fileName = fileName
        self.xml = xml
    }
}

/// Peppol BIS Billing 3.0 for issued invoices and credit notes (DOMAIN.md, Member contributions): the documents a
/// federation sends its members through the Peppol network. Built from what was issued (numbers, dates, amounts
/// and the buyer reference as they were), so a document exported twice is the same document.
public struct PeppolExport: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// The invoices and credit notes issued in `year`, or only invoice (or credit note) `number` of that year.
    /// Refused, naming the member or the federation, when something Peppol requires is missing: the federation's
    /// bankgiro (where to pay), or the buyer's reference (BT-10). Nothing is written to the database.
    public func files(of federation: String, year: Int, number: Int?, by user: User) async throws -> [PeppolFile] {
        try await database.read(user, .invoiceRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            guard let sellerOrgnr = OrganisationNumber(found.orgnr) else {
                throw ServiceError.invalid("förbundets organisationsnummer \(found.orgnr) är ogiltigt")
            }
            guard let bankgiro = try await InvoiceSettingsStore.invoiceSettings(c, federationID: found.id).bankgiro else {
                throw ServiceError(.invalid, "\(found.code) har inget bankgiro: Peppol-fakturan ska säga vart betalningen går",
                    code: "federation.bankgiro-missing", arguments: ["federation": found.code])
            }
            let seller = PeppolDocument.Party(
                name: found.name, organisationNumber: sellerOrgnr,
                address: PostalAddress(town: found.seatMunicipality))
            let members = Dictionary(uniqueKeysWithValues: try await MemberStore.members(c, federationID: found.id).map { ($0.code, $0) })
            let invoices = try await InvoiceStore.invoices(c, federationID: found.id, year: year, number: nil)
            let credits = try await CreditNoteStore.creditNoteDocuments(c, federationID: found.id, year: year)
            var files: [(number: Int, file: PeppolFile)] = []
            for invoice in invoices where number == nil || invoice.number == number {
                let buyer = try Self.buyer(invoice.member, in: members, federation: found.code)
                let document = PeppolDocument(
                    id: "\(invoice.year)-\(invoice.number)", issueDate: invoice.issueDate,
                    kind: .invoice(dueDate: invoice.dueDate, payment: .init(bankgiro: bankgiro, ocr: invoice.ocr)),
                    buyerReference: try Self.reference(invoice.buyerReference, of: buyer.member, federation: found.code),
                    note: "Medlemsbidrag \(invoice.period) till \(found.name).",
                    period: Self.period(of: invoice.contributionYear, installment: invoice.installment, of: invoice.installments),
                    seller: seller, buyer: buyer.party,
                    lines: invoice.lines.map { .init(description: $0.description, amount: $0.amount) })
                files.append((invoice.number, PeppolFile(
                    fileName: "\(found.code)-faktura-\(invoice.year)-\(invoice.number).xml", xml: try PeppolUBL.xml(document))))
            }
            for credit in credits where number == nil || credit.number == number {
                let buyer = try Self.buyer(credit.member, in: members, federation: found.code)
                let document = PeppolDocument(
                    id: "\(credit.year)-\(credit.number)", issueDate: credit.issueDate,
                    kind: .creditNote(invoice: "\(credit.invoiceYear)-\(credit.invoiceNumber)", invoiceIssueDate: credit.invoiceIssueDate),
                    buyerReference: try Self.reference(credit.buyerReference, of: buyer.member, federation: found.code),
                    note: "Kredit av faktura \(credit.invoiceYear)-\(credit.invoiceNumber): \(credit.reason)",
                    period: Self.period(of: credit.contributionYear, installment: credit.installment, of: credit.installments),
                    seller: seller, buyer: buyer.party,
                    lines: [.init(description: "Kredit av medlemsbidrag \(credit.periodLabel)", amount: credit.amount)])
                files.append((credit.number, PeppolFile(
                    fileName: "\(found.code)-kreditfaktura-\(credit.year)-\(credit.number).xml", xml: try PeppolUBL.xml(document))))
            }
            if let number, files.isEmpty {
                throw ServiceError.notFound("faktura eller kreditfaktura \(number) för \(year) finns inte i \(found.code)")
            }
            return files.sorted { $0.number < $1.number }.map(\.file)
        }
    }

    static func buyer(_ code: String, in members: [String: Member], federation: String) throws -> (member: Member, party: PeppolDocument.Party) {
        guard let member = members[code], let orgnr = OrganisationNumber(member.orgnr) else {
            throw ServiceError.notFound("medlemmen \(code) finns inte i \(federation)")
        }
        let endpoint = member.peppolId.flatMap(PeppolEndpoint.init(parsing:))
        return (member, PeppolDocument.Party(
            name: member.name, organisationNumber: orgnr, endpoint: endpoint,
            address: PostalAddress(swedish: member.invoiceAddress ?? "")))
    }

    /// The reference the invoice was issued with, else the member's present one (an invoice issued before the
    /// member had one can still be sent once it is set).
    static func reference(_ issued: String?, of member: Member, federation: String) throws -> String {
        if let issued, !issued.trimmingSpaces.isEmpty { return issued }
        if let current = member.buyerReference, !current.trimmingSpaces.isEmpty { return current }
        throw ServiceError(.invalid, "\(member.name) (\(member.code)) saknar referens, som Peppol kräver (BT-10)",
            code: "member.reference-missing", arguments: ["federation": federation, "member": member.code])
    }

    /// The months an installment covers: installment 2 of 4 in 2024 is 2024-04-01…2024-06-30.
    static func period(of year: Int, installment: Int, of installments: Int) -> ClosedRange<CalendarDate>? {
        guard let schedule = InvoiceSchedule(installments: installments) else { return nil }
        let months = schedule.months(ofInstallment: installment)
        let (first, last) = (months.lowerBound, months.upperBound)
        guard let start = CalendarDate(year: year, month: first, day: 1),
            let end = CalendarDate(year: year, month: last, day: CalendarDate.days(inMonth: last, year: year))
        else { return nil }
        return start...end
    }
}

/// A credit note with what its Peppol document needs of the invoice it credits.
struct CreditNoteDocument {
    var year: Int
    var number: Int
    var issueDate: CalendarDate
    var amount: Money
    var reason: String
    var member: String
    var buyerReference: String?
    var invoiceYear: Int
    var invoiceNumber: Int
    var invoiceIssueDate: CalendarDate
    var contributionYear: Int
    var installment: Int
    var installments: Int

    var periodLabel: String {
        (InvoiceSchedule(installments: installments) ?? .yearly).label(year: contributionYear, installment: installment)
    }
}

extension CreditNoteStore {
    /// The credit notes issued in `year`, in number order.
    static func creditNoteDocuments(_ c: isolated Connection, federationID: Int64, year: Int) async throws -> [CreditNoteDocument] {
        try await c.query(
            """
            SELECT n.fiscal_year, n.number, n.issue_date, n.amount_ore, n.reason, m.code, i.buyer_reference,
                   i.fiscal_year AS invoice_year, i.number AS invoice_number, i.issue_date AS invoice_issue_date,
                   i.contribution_year, i.installment, i.installments
            FROM credit_note n
            JOIN invoice i USING (federation_id, invoice_id)
            JOIN member m ON m.federation_id = i.federation_id AND m.member_id = i.member_id
            WHERE n.federation_id = $1 AND n.fiscal_year = $2
            ORDER BY n.number
            """, [federationID, Int64(year)]
        ).rows.map { row in
            CreditNoteDocument(
                year: try row.decode(Int.self, "fiscal_year"), number: try row.decode(Int.self, "number"),
                issueDate: try row.decode(PostgresDate.self, "issue_date").calendarDate(),
                amount: Money(öre: try row.decode(Int64.self, "amount_ore")), reason: try row.decode(String.self, "reason"),
                member: try row.decode(String.self, "code"), buyerReference: try row.decode(String?.self, "buyer_reference"),
                invoiceYear: try row.decode(Int.self, "invoice_year"), invoiceNumber: try row.decode(Int.self, "invoice_number"),
                invoiceIssueDate: try row.decode(PostgresDate.self, "invoice_issue_date").calendarDate(),
                contributionYear: try row.decode(Int.self, "contribution_year"),
                installment: try row.decode(Int.self, "installment"), installments: try row.decode(Int.self, "installments"))
        }
    }
}
