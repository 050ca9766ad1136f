import FinsamCore
import FinsamService
import Foundation
import Postgres
import Testing
import TestSupport

/// Passwords, sessions and API tokens (schema/021) through the service, against a real PostgreSQL: what signs in,
/// what is refused, what is slowed, and that a signed-out session or a revoked token stops acting at once.
@Suite struct SignInTests {
    static let operatorUser = User.operator("test")

    static func withUser(_ body: (Database) async throws -> Void) async throws {
        try await LedgerTests.withLedger { database, _ in
            try await LedgerTests.seed(database)
            _ = try await Users(database).add(code: "eva.berg", name: "Eva Berg",
                roles: [RoleGrant(federation: "norrdalen", role: .director)], by: operatorUser)
            try await body(database)
        }
    }

    @Test func aPasswordSignsInAndSignOutEndsTheSession() async throws {
        try await Self.withUser { database in
            let credentials = Credentials(database), sessions = Sessions(database)
            // Too short, and containing the user code: refused before anything is stored (PasswordPolicy).
            for weak in ["kort", "eva.berg-hemligt-1"] {
                await #expect(throws: ServiceError.self) { try await credentials.setPassword(weak, for: "eva.berg", by: Self.operatorUser) }
            }
            try await credentials.setPassword("Lingon och blåbär 7", for: "eva.berg", by: Self.operatorUser)
            #expect(try await sessions.signIn(user: "eva.berg", password: "fel lösenord", address: "10.0.0.1") == .refused)
            #expect(try await sessions.signIn(user: "ingen.alls", password: "Lingon och blåbär 7", address: "10.0.0.1") == .refused)
            guard case .signedIn(let secret, let expires) = try await sessions.signIn(
                user: "eva.berg", password: "Lingon och blåbär 7", address: "10.0.0.1", lifetimeSeconds: 3600)
            else { Issue.record("the right password did not sign in"); return }
            #expect(Sessions.looksLikeSecret(secret) && secret.hasPrefix("fss_"))
            #expect(abs(expires.timeIntervalSinceNow - 3600) < 60)
            #expect(try await sessions.identify(secret) == SignedInPerson(code: "eva.berg", name: "Eva Berg"))
            // The session acts as its person, with her roles in her federation only.
            let user = User.signedIn("eva.berg", credential: secret)
            #expect(try await sessions.roles(of: user) == [RoleGrant(federation: "norrdalen", role: .director)])
            _ = try await Disbursements(database).list(in: "norrdalen", by: user)
            await #expect(throws: ServiceError.self) { _ = try await Disbursements(database).list(in: "sjobygden", by: user) }
            // A secret that is not hers does not act for her.
            let impostor = User.signedIn("eva.berg", credential: "fss_" + String(repeating: "0", count: 64))
            let refused = try await #require(throws: ServiceError.self) { _ = try await Disbursements(database).list(in: "norrdalen", by: impostor) }
            #expect(refused.kind == .unauthenticated)
            #expect(try await sessions.signOut(secret))
            #expect(try await sessions.identify(secret) == nil)
            let ended = try await #require(throws: ServiceError.self) { _ = try await Disbursements(database).list(in: "norrdalen", by: user) }
            #expect(ended.code == "session.invalid")
            #expect(try await sessions.signOut(secret) == false)
        }
    }

    @Test func repeatedFailuresAreSlowedPerUser() async throws {
        try await Self.withUser { database in
            try await Credentials(database).setPassword("Lingon och blåbär 7", for: "eva.berg", by: Self.operatorUser)
            let sessions = Sessions(database)
            // Five failures in a row are answered; the sixth attempt must wait (2 s, then 4 s …), even with the
            // right password, and from another address.
            for _ in 1...5 {
                #expect(try await sessions.signIn(user: "eva.berg", password: "fel", address: "10.0.0.2") == .refused)
            }
            guard case .throttled(let wait) = try await sessions.signIn(user: "eva.berg", password: "Lingon och blåbär 7", address: "10.0.0.3")
            else { Issue.record("the sixth attempt was not slowed"); return }
            #expect((1...2).contains(wait))
        }
    }

    @Test func aTokenActsUntilRevokedAndOnlyTheOperatorManagesThem() async throws {
        try await Self.withUser { database in
            let credentials = Credentials(database), sessions = Sessions(database)
            let made = try await credentials.createToken(for: "eva.berg", name: "ekonomisystemet", expires: nil, by: Self.operatorUser)
            #expect(made.secret.hasPrefix("fst_") && Sessions.looksLikeSecret(made.secret))
            #expect(made.token.user == "eva.berg" && made.token.createdBy == "operator:test" && made.token.revokedAt == nil)
            #expect(try await sessions.identify(made.secret)?.code == "eva.berg")
            // The same name twice while the first lives: refused.
            await #expect(throws: ServiceError.self) {
                _ = try await credentials.createToken(for: "eva.berg", name: "ekonomisystemet", expires: nil, by: Self.operatorUser)
            }
            // A person, even an admin, cannot make or list tokens: a password or token opens all their federations.
            let refusal = try await #require(throws: ServiceError.self) {
                _ = try await credentials.tokens(of: nil, by: .person("eva.berg"))
            }
            #expect(refusal.kind == .forbidden)
            try await credentials.revokeToken(named: "ekonomisystemet", of: "eva.berg", by: Self.operatorUser)
            #expect(try await sessions.identify(made.secret) == nil)
            let listed = try await credentials.tokens(of: "eva.berg", by: Self.operatorUser)
            #expect(listed.count == 1 && listed[0].revokedBy == "operator:test" && !listed[0].isLive(at: Date()))
            // A token cannot be made already expired (the database refuses an expiry before its making).
            await #expect(throws: ServiceError.self) {
                _ = try await credentials.createToken(for: "eva.berg", name: "gammal", expires: CalendarDate(iso: "2020-01-01"), by: Self.operatorUser)
            }
        }
    }
}
