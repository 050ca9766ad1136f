public import FinsamCore
import Postgres

/// The accounts Finsam itself posts to in one federation (PostingPurpose), read by every use case that books.
public struct PostingAccounts: Sendable, Codable, Equatable {
    public var bank: Int
    public var receivables: Int
    public var disbursementCost: Int
    public var claims: Int
    public var broughtForward: Int

    public subscript(purpose: PostingPurpose) -> Int {
        switch purpose {
        case .bank: bank
        case .receivables: receivables
        case .disbursementCost: disbursementCost
        case .claims: claims
        case .broughtForward: broughtForward
        }
    }
}

/// One setting as shown: the purpose, its account and the account's name; or a member kind's contribution account.
public struct PostingAccountSetting: Sendable, Codable, Equatable {
    /// A PostingPurpose's raw value, or `contributions:<member kind>`.
    public var purpose: String
    public var label: String
    public var account: Int?
    public var accountName: String?
}

/// Shows and changes the federation's posting accounts.
public struct PostingAccountSettings: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Every purpose with its account, then each member kind's contribution account (the lowest account marked
    /// with the kind, as invoice runs take it).
    public func list(of federation: String, by user: User) async throws -> [PostingAccountSetting] {
        try await database.read(user, .federationRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            let accounts = try await PostingAccountStore.postingAccounts(c, federationID: federationID)
            let names = Dictionary(uniqueKeysWithValues: try await AccountStore.accounts(c, federationID: federationID).map { ($0.number, $0.name) })
            var settings = PostingPurpose.allCases.map {
                PostingAccountSetting(purpose: $0.rawValue, label: $0.swedishName, account: accounts[$0], accountName: names[accounts[$0]])
            }
            let kinds = try await PostingAccountStore.contributionAccounts(c, federationID: federationID)
            for kind in MemberKind.allCases {
                let account = kinds[kind]
                settings.append(PostingAccountSetting(purpose: "contributions:\(kind.rawValue)",
                    label: "Medlemsbidrag \(kind.swedishName)", account: account, accountName: account.flatMap { names[$0] }))
            }
            return settings
        }
    }

    /// Sets the account of one purpose. The account must exist in the chart and lie in the purpose's class.
    public func set(_ purpose: PostingPurpose, to account: Int, in federation: String, by user: User) async throws {
        guard purpose.accepts(account) else {
            throw ServiceError.invalid("\(purpose.swedishName): konto \(account) är inte \(purpose.classRule)")
        }
        try await database.write(user, .postingAccountsSet, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            guard try await CodeStore.accountsWithMeaning(c, [account], federationID: federationID)[account] != nil else { throw ServiceError.notFound("konto \(account) finns inte i \(federation)s kontoplan") }
            try await c.query(
                """
                INSERT INTO posting_account (federation_id, purpose, account_number, updated_by)
                VALUES ($1, $2::posting_purpose, $3, $4)
                ON CONFLICT (federation_id, purpose) DO UPDATE
                    SET account_number = excluded.account_number, updated_by = excluded.updated_by, updated_at = now()
                """, [federationID, purpose.rawValue, account, user.name])
        }
    }

    /// Makes `account` the contribution account of `kind`: the kind moves from the account that had it.
    public func setContributions(of kind: MemberKind, to account: Int, in federation: String, by user: User) async throws {
        guard AccountClass(accountNumber: account) == .revenue else {
            throw ServiceError.invalid("medlemsbidrag \(kind.swedishName): konto \(account) är inget intäktskonto (klass 3)")
        }
        try await database.write(user, .postingAccountsSet, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            try await c.query(
                "UPDATE account SET member_kind = NULL WHERE federation_id = $1 AND member_kind = $2::member_kind AND account_number <> $3",
                [federationID, kind.rawValue, account])
            let updated = try await c.query(
                "UPDATE account SET member_kind = $2::member_kind, member_id = NULL WHERE federation_id = $1 AND account_number = $3 RETURNING 1",
                [federationID, kind.rawValue, account]).count
            guard updated == 1 else { throw ServiceError.notFound("konto \(account) finns inte i \(federation)s kontoplan") }
        }
    }
}

/// The SQL of the accounts Finsam posts to (the federation's settings) and each member's contribution account.
enum PostingAccountStore {
    /// The federation's posting accounts. Every federation has all of them (schema/017 and createFederation).
    static func postingAccounts(_ c: isolated Connection, federationID: Int64) async throws -> PostingAccounts {
        var found: [PostingPurpose: Int] = [:]
        for row in try await c.query(
            "SELECT purpose::text, account_number FROM posting_account WHERE federation_id = $1", [federationID]
        ).rows {
            if let purpose = PostingPurpose(rawValue: try row.decode(String.self, at: 0)) {
                found[purpose] = try row.decode(Int.self, at: 1)
            }
        }
        func take(_ purpose: PostingPurpose) throws -> Int {
            guard let account = found[purpose] else {
                throw ServiceError.invalid("förbundet har inget konto för \(purpose.swedishName.lowercased())")
            }
            return account
        }
        return PostingAccounts(bank: try take(.bank), receivables: try take(.receivables),
            disbursementCost: try take(.disbursementCost), claims: try take(.claims), broughtForward: try take(.broughtForward))
    }

    /// Each member kind's contribution account: the lowest account marked with the kind.
    static func contributionAccounts(_ c: isolated Connection, federationID: Int64) async throws -> [MemberKind: Int] {
        var accounts: [MemberKind: Int] = [:]
        for row in try await c.query(
            "SELECT member_kind::text, min(account_number) FROM account WHERE federation_id = $1 AND member_kind IS NOT NULL GROUP BY 1",
            [federationID]
        ).rows {
            if let kind = MemberKind(rawValue: try row.decode(String.self, at: 0)) { accounts[kind] = try row.decode(Int.self, at: 1) }
        }
        return accounts
    }

    /// The revenue account of each member that has one of its own (an imported chart's "Medlemsbidrag Aneby kommun").
    static func memberAccounts(_ c: isolated Connection, federationID: Int64) async throws -> [Int64: Int] {
        var accounts: [Int64: Int] = [:]
        for row in try await c.query(
            "SELECT member_id, min(account_number) FROM account WHERE federation_id = $1 AND member_id IS NOT NULL GROUP BY 1",
            [federationID]
        ).rows {
            accounts[try row.decode(Int64.self, at: 0)] = try row.decode(Int.self, at: 1)
        }
        return accounts
    }
}
