public import FinsamCore
import Postgres

/// What a federation's invoices say about it: where to pay (bankgiro) and how long to pay (days to the due date).
public struct InvoiceSettings: Sendable, Codable, Equatable {
    public var bankgiro: String?
    public var dueDays: Int

    public init(bankgiro: String?, dueDays: Int) {
        self.bankgiro = bankgiro
        self.dueDays = dueDays
    }
}

public struct FederationInvoicing: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func settings(of federation: String, by user: User) async throws -> InvoiceSettings {
        try await database.read(user, .federationRead, in: federation) { c in try await InvoiceSettingsStore.invoiceSettings(c, federationID: try await FederationStore.federation(c, federation).id) }
    }

    /// Changes the bankgiro and/or the days to the due date (for invoices issued from now on).
    public func update(_ federation: String, bankgiro: String?, dueDays: Int?, by user: User) async throws -> InvoiceSettings {
        if let bankgiro, !Bankgiro.isValid(bankgiro) {
            throw ServiceError.invalid("bankgironumret \(bankgiro) är ogiltigt (NNN-NNNN eller NNNN-NNNN med rätt kontrollsiffra)")
        }
        if let dueDays, !(0...365).contains(dueDays) { throw ServiceError.invalid("betalningsvillkoret ska vara 0–365 dagar") }
        return try await database.write(user, .invoiceSettings, in: federation) { c in
            try await InvoiceSettingsStore.updateInvoiceSettings(c, federationID: try await FederationStore.federation(c, federation).id, bankgiro: bankgiro, dueDays: dueDays)
        }
    }
}

/// The SQL of a federation's invoicing settings: bankgiro and days to the due date.
enum InvoiceSettingsStore {
    /// Sets what is given (nil leaves it) within the caller's transaction.
    static func updateInvoiceSettings(_ c: isolated Connection, federationID: Int64, bankgiro: String?, dueDays: Int?) async throws -> InvoiceSettings {
        let row = try await c.query(
            """
            UPDATE federation SET bankgiro = coalesce($2, bankgiro), invoice_due_days = coalesce($3, invoice_due_days)
            WHERE federation_id = $1 RETURNING bankgiro, invoice_due_days
            """, [federationID, bankgiro, dueDays.map(Int64.init)]).rows[0]
        return InvoiceSettings(bankgiro: try row.decode(String?.self, "bankgiro"), dueDays: try row.decode(Int.self, "invoice_due_days"))
    }

    static func invoiceSettings(_ c: isolated Connection, federationID: Int64) async throws -> InvoiceSettings {
        let row = try await c.query("SELECT bankgiro, invoice_due_days FROM federation WHERE federation_id = $1", [federationID]).rows[0]
        return InvoiceSettings(bankgiro: try row.decode(String?.self, "bankgiro"), dueDays: try row.decode(Int.self, "invoice_due_days"))
    }
}
