public import FinsamCore
import Postgres

/// A federation's rules for disbursements and the account it pays from.
public struct DisbursementSettings: Sendable, Codable, Equatable {
    /// Above this amount the chair approves as well as the director; nil: no limit.
    public var delegationLimit: Money?
    /// Whether approving beyond an intervention's budget is refused (true) or only warned of.
    public var budgetOverrunBlocks: Bool
    public var payerIBAN: String?
    public var payerBIC: String?
}

/// What `FederationDisbursements.update` changes: nil leaves a setting as it is.
public struct DisbursementSettingsChange: Sendable, Equatable {
    public enum Limit: Sendable, Equatable {
        case set(Money)
        case unlimited
    }

    public var delegationLimit: Limit?
    public var budgetOverrunBlocks: Bool?
    public var payerIBAN: String?
    public var payerBIC: String?

    public init(delegationLimit: Limit? = nil, budgetOverrunBlocks: Bool? = nil, payerIBAN: String? = nil, payerBIC: String? = nil) {
        self.delegationLimit = delegationLimit
        self.budgetOverrunBlocks = budgetOverrunBlocks
        self.payerIBAN = payerIBAN
        self.payerBIC = payerBIC
    }
}

public struct FederationDisbursements: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func settings(of federation: String, by user: User) async throws -> DisbursementSettings {
        try await database.read(user, .federationRead, in: federation) { c in try await DisbursementSettingsStore.disbursementSettings(c, federationID: try await FederationStore.federationID(c, federation)) }
    }

    public func update(_ federation: String, _ change: DisbursementSettingsChange, by user: User) async throws -> DisbursementSettings {
        if case .set(let limit) = change.delegationLimit, limit.öre < 0 || limit.öre % 100 != 0 {
            throw ServiceError.invalid("delegationsgränsen ska vara hela kronor, 0 eller mer")
        }
        if let iban = change.payerIBAN, !(iban.hasPrefix("SE") && iban.count == 24 && IBAN.isValid(iban)) {
            throw ServiceError.invalid("IBAN \(iban) är ogiltigt (SE och 22 siffror med rätt kontrollsiffror, utan mellanslag)")
        }
        if let bic = change.payerBIC, !BIC.isValid(bic) {
            throw ServiceError.invalid("BIC \(bic) är ogiltigt (8 eller 11 tecken, t.ex. HANDSESS)")
        }
        return try await database.write(user, .federationSettings, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            try await DisbursementSettingsStore.updateDisbursementSettings(c, change, federationID: federationID)
            return try await DisbursementSettingsStore.disbursementSettings(c, federationID: federationID)
        }
    }
}

/// The SQL of a federation's disbursement settings: the delegation limit, whether a budget overrun blocks, the payer's account.
enum DisbursementSettingsStore {
    static func disbursementSettings(_ c: isolated Connection, federationID: Int64) async throws -> DisbursementSettings {
        let row = try await c.query(
            "SELECT delegation_limit_ore, budget_overrun_blocks, payer_iban, payer_bic FROM federation WHERE federation_id = $1",
            [federationID]).first!
        return DisbursementSettings(
            delegationLimit: try row.decode(Int64?.self, "delegation_limit_ore").map(Money.init(öre:)),
            budgetOverrunBlocks: try row.decode(Bool.self, "budget_overrun_blocks"),
            payerIBAN: try row.decode(String?.self, "payer_iban"), payerBIC: try row.decode(String?.self, "payer_bic"))
    }

    static func updateDisbursementSettings(_ c: isolated Connection, _ change: DisbursementSettingsChange, federationID: Int64) async throws {
        let limit: Int64? = switch change.delegationLimit {
        case .set(let money): money.öre
        case .unlimited, nil: nil
        }
        try await c.query(
            """
            UPDATE federation SET
                delegation_limit_ore = CASE WHEN $2 THEN $3 ELSE delegation_limit_ore END,
                budget_overrun_blocks = coalesce($4, budget_overrun_blocks),
                payer_iban = coalesce($5, payer_iban), payer_bic = coalesce($6, payer_bic)
            WHERE federation_id = $1
            """,
            [federationID, change.delegationLimit != nil, limit, change.budgetOverrunBlocks, change.payerIBAN, change.payerBIC])
    }
}

extension Members {
    /// Sets where a member is paid: a bankgiro or a Swedish bank account (nil for both clears it).
    public func setPayoutAccount(
        _ code: String, in federation: String, bankgiro: String?, bankAccount: String?, by user: User
    ) async throws -> PayoutAccount? {
        if let bankgiro, PayoutAccount(bankgiro: bankgiro) == nil {
            throw ServiceError.invalid("bankgironumret \(bankgiro) är ogiltigt (NNN-NNNN eller NNNN-NNNN med rätt kontrollsiffra)")
        }
        if let bankAccount, PayoutAccount(bankAccount: bankAccount) == nil {
            throw ServiceError.invalid("bankkontot \(bankAccount) ska skrivas clearingnummer-kontonummer, t.ex. 6000-123456789")
        }
        if bankgiro != nil && bankAccount != nil { throw ServiceError.invalid("ange bankgiro eller bankkonto, inte båda") }
        return try await database.write(user, .memberChange, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            let member = try await MemberStore.member(c, code, federationID: federationID)
            try await c.query(
                "UPDATE member SET payout_bankgiro = $3, payout_bank_account = $4 WHERE federation_id = $1 AND member_id = $2",
                [federationID, member.id, bankgiro, bankAccount])
            return bankgiro.flatMap { PayoutAccount(bankgiro: $0) } ?? bankAccount.flatMap { PayoutAccount(bankAccount: $0) }
        }
    }
}
