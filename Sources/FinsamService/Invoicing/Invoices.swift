public import FinsamCore
import Postgres

/// Reading issued invoices.
public struct Invoices: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// The invoices of a federation, of one year (by issue date) or all, in number order.
    public func list(of federation: String, year: Int?, by user: User) async throws -> [Invoice] {
        try await database.read(user, .invoiceRead, in: federation) { c in
            try await InvoiceStore.invoices(c, federationID: try await FederationStore.federation(c, federation).id, year: year, number: nil)
        }
    }

    public func find(number: Int, year: Int, in federation: String, by user: User) async throws -> Invoice {
        try await database.read(user, .invoiceRead, in: federation) { c in
            try await InvoiceStore.invoice(c, number: number, year: year, federation: try await FederationStore.federation(c, federation))
        }
    }
}

/// The SQL of invoices: reading them, numbering and issuing a run's, and the installments planned from a contribution
/// plan.
enum InvoiceStore {
    static func invoice(_ c: isolated Connection, number: Int, year: Int, federation: Federation) async throws -> Invoice {
        guard let invoice = try await InvoiceStore.invoices(c, federationID: federation.id, year: year, number: number).first else {
            throw ServiceError(.notFound, "faktura \(number) för \(year) finns inte i \(federation.code)", code: "invoice.not-found",
                arguments: ["federation": federation.code, "invoice": "\(year)-\(number)"])
        }
        return invoice
    }

    /// Invoices with their lines: two queries, whatever their number. `number` needs `year`.
    static func invoices(_ c: isolated Connection, federationID: Int64, year: Int?, number: Int?) async throws -> [Invoice] {
        let heads = try await c.query(
            """
            SELECT i.invoice_id, i.fiscal_year, i.number, m.code, m.name, i.contribution_year, i.installment,
                   i.installments, i.issue_date, i.due_date, i.buyer_reference, i.ocr, i.total_ore, i.settlement,
                   v.fiscal_year AS v_year, v.series AS v_series, v.number AS v_number
            FROM invoice i
            JOIN member m ON m.federation_id = i.federation_id AND m.member_id = i.member_id
            JOIN voucher v ON v.federation_id = i.federation_id AND v.voucher_id = i.voucher_id
            WHERE i.federation_id = $1 AND ($2::int IS NULL OR i.fiscal_year = $2) AND ($3::int IS NULL OR i.number = $3)
            ORDER BY i.fiscal_year, i.number
            """, [federationID, year.map(Int64.init), number.map(Int64.init)])
        let lines = try await c.query(
            """
            SELECT l.invoice_id, l.description, l.account_number, l.amount_ore FROM invoice_line l
            JOIN invoice i USING (federation_id, invoice_id)
            WHERE l.federation_id = $1 AND ($2::int IS NULL OR i.fiscal_year = $2) AND ($3::int IS NULL OR i.number = $3)
            ORDER BY l.invoice_id, l.line_number
            """, [federationID, year.map(Int64.init), number.map(Int64.init)])
        var linesByInvoice: [Int64: [Invoice.Line]] = [:]
        for row in lines.rows {
            linesByInvoice[try row.decode(Int64.self, "invoice_id"), default: []].append(Invoice.Line(
                description: try row.decode(String.self, "description"), account: try row.decode(Int.self, "account_number"),
                amount: Money(öre: try row.decode(Int64.self, "amount_ore"))))
        }
        return try heads.rows.map { row in
            let installments = try row.decode(Int.self, "installments")
            let schedule = try InvoiceSchedule.stored(installments: installments)
            let contributionYear = try row.decode(Int.self, "contribution_year")
            let installment = try row.decode(Int.self, "installment")
            return Invoice(
                year: try row.decode(Int.self, "fiscal_year"), number: try row.decode(Int.self, "number"),
                member: try row.decode(String.self, "code"), memberName: try row.decode(String.self, "name"),
                contributionYear: contributionYear, installment: installment, installments: installments,
                period: try row.decode(Bool.self, "settlement") ? "\(contributionYear) justering"
                    : schedule.label(year: contributionYear, installment: installment),
                issueDate: try row.decode(PostgresDate.self, "issue_date").calendarDate(),
                dueDate: try row.decode(PostgresDate.self, "due_date").calendarDate(),
                buyerReference: try row.decode(String?.self, "buyer_reference"), ocr: try row.decode(String.self, "ocr"),
                total: Money(öre: try row.decode(Int64.self, "total_ore")),
                voucher: VoucherReference(
                    year: try row.decode(Int.self, "v_year"), series: try row.decode(String.self, "v_series"),
                    number: try row.decode(Int.self, "v_number")),
                lines: linesByInvoice[try row.decode(Int64.self, "invoice_id")] ?? [],
                settlement: try row.decode(Bool.self, "settlement"))
        }
    }
}
