import FinsamCore
import FinsamService
import Foundation
import Postgres
import TestSupport
import Testing

/// The whole rights table through the service (issue 15): for every use case, a person holding one role in
/// Norrdalen calls the service in Norrdalen and in Sjöbygden. The expected outcome of each cell comes from the
/// rights table (`Rights`, the specification, which `RightsTests` checks against a table written by hand), not from
/// the service: allowed means the service did not refuse with a `rights.` code (it may still fail for another
/// reason, such as a voucher that does not exist); refused means exactly that code. A role in Norrdalen gives
/// nothing in Sjöbygden, and the operator may do all but what needs a named person.
@Suite struct RightsMatrixTests {
    typealias Call = @Sendable (Database, User, String) async throws -> Void

    static let date = CalendarDate(iso: "2024-03-01")!
    static let reference = BoardReference(parsing: "2024-01-10 §3")!

    /// A small SIE 4 file of the kind other programs write: one voucher.
    static let sie = Array("""
        #FLAGGA 0
        #PROGRAM "Test" 1.0
        #FORMAT PC8
        #SIETYP 4
        #FNAMN "Test"
        #RAR 0 20240101 20241231
        #KONTO 1930 "Bank"
        #KONTO 3090 "Ovriga intakter"
        #VER A 1 20240301 "Test"
        {
        #TRANS 1930 {} 100.00
        #TRANS 3090 {} -100.00
        }

        """.utf8)

    /// One call of the service per use case, with input that passes every check made before the use case's
    /// transaction, so that the rights are what decides.
    static let calls: [UseCase: Call] = [
        .federationCreate: { db, user, _ in
            _ = try await Federations(db).create(code: "ny", name: "Ny", orgnr: "222000-0034", seatMunicipality: nil, by: user)
        },
        .federationRead: { db, user, fed in _ = try await Federations(db).find(fed, by: user) },
        .federationSettings: { db, user, fed in
            _ = try await FederationDisbursements(db).update(fed, DisbursementSettingsChange(budgetOverrunBlocks: true), by: user)
        },
        .memberChange: { db, user, fed in
            _ = try await Members(db).add(MemberDetails(code: "ekeby", kind: .municipality, name: "Ekeby kommun", orgnr: "212000-0712"), to: fed, by: user)
        },
        .memberRead: { db, user, fed in _ = try await Members(db).list(of: fed, by: user) },
        .populationSet: { db, user, fed in
            _ = try await Population(db).set(member: "ankeby", in: fed, year: 2024, population: 6915, referenceDate: nil, source: "SCB", by: user)
        },
        .chartChange: { db, user, fed in _ = try await Accounts(db).add(Account(number: 6991, name: "Övrigt"), to: fed, by: user) },
        .postingAccountsSet: { db, user, fed in try await PostingAccountSettings(db).set(.bank, to: 1930, in: fed, by: user) },
        .voucherPost: { db, user, fed in
            _ = try await Vouchers(db).post(LedgerTests.draft([(1930, 100), (3090, -100)]), to: fed, by: user)
        },
        .voucherReverse: { db, user, fed in
            _ = try await Vouchers(db).reverse(VoucherReference(year: 2024, series: "A", number: 99), in: fed, date: nil, by: user)
        },
        .voucherRead: { db, user, fed in _ = try await Vouchers(db).list(in: fed, year: 2024, by: user) },
        .periodLock: { db, user, fed in _ = try await PeriodLocks(db).lock(year: 2020, month: 1, in: fed, by: user) },
        .budgetSet: { db, user, fed in
            _ = try await Budgets(db).set(BudgetLine(kind: .budget, year: 2024, account: 6410, intervention: nil, member: nil,
                amount: Money(kronor: 1000)), in: fed, by: user)
        },
        .sieImport: { db, user, fed in _ = try await SIEImport(db).preview(sie, fileName: "test.se", into: fed, by: user) },
        .sieExport: { db, user, fed in _ = try await SIEExport(db).run(for: fed, year: 2024, today: date, by: user) },
        .contributionPlan: { db, user, fed in
            _ = try await ContributionPlans(db).plan(ContributionPlanRequest(year: 2024, totalKronor: 100_000), for: fed, preview: true, by: user)
        },
        .invoiceRun: { db, user, fed in
            _ = try await InvoiceRuns(db).run(fed, period: InvoicePeriod("2024")!, issueDate: date, preview: true, by: user)
        },
        .invoiceRead: { db, user, fed in _ = try await Invoices(db).list(of: fed, year: nil, by: user) },
        .invoiceSettings: { db, user, fed in _ = try await FederationInvoicing(db).update(fed, bankgiro: nil, dueDays: 20, by: user) },
        .creditNoteIssue: { db, user, fed in
            _ = try await CreditNotes(db).issue(invoiceNumber: 99, year: 2024, amount: nil, reason: "fel", on: date, in: fed, by: user)
        },
        .paymentRegister: { db, user, fed in
            _ = try await Payments(db).register(Money(kronor: 1), on: date, for: .number(year: 2024, number: 99), reference: nil,
                in: fed, by: user)
        },
        .paymentReverse: { db, user, fed in
            _ = try await Payments(db).reverse(VoucherReference(year: 2024, series: "I", number: 99), on: date, reason: "fel", in: fed, by: user)
        },
        .bankFileImport: { db, user, fed in
            let file = BgMaxTestFile(deposits: [.init(bankgiro: "9912346", date: "20240205", serial: 1,
                payments: [.init(reference: "1", öre: 10_000)])])
            _ = try await BankFileImport(db).bgMax(file.bytes, fileName: "bgmax.txt", into: fed, by: user)
        },
        .bankPaymentSettle: { db, user, fed in
            _ = try await BankPayments(db).settle(99, with: VoucherReference(year: 2024, series: "A", number: 99), in: fed, by: user)
        },
        .reconcile: { db, user, fed in _ = try await Reconciliation(db).check(fed, at: date, by: user) },
        .decisionChange: { db, user, fed in
            _ = try await FundingDecisions(db).add(FundingDecisionRequest(intervention: "se", member: "ankeby", halfYear: HalfYear("2024H1")!,
                fte: FTE(parsing: "1")!, rate: Money(kronor: 240_000), reference: reference), in: fed, by: user)
        },
        .disbursementPrepare: { db, user, fed in
            _ = try await Disbursements(db).prepare(in: fed, intervention: "se", halfYear: HalfYear("2024H1")!, by: user)
        },
        .disbursementSubmit: { db, user, fed in _ = try await Disbursements(db).submit([99], in: fed, by: user) },
        .disbursementApprove: { db, user, fed in _ = try await Disbursements(db).approve([99], in: fed, by: user) },
        .disbursementReturn: { db, user, fed in _ = try await Disbursements(db).returnForChanges([99], in: fed, comment: "fel", by: user) },
        .disbursementReject: { db, user, fed in _ = try await Disbursements(db).reject([99], in: fed, comment: "fel", by: user) },
        .disbursementPay: { db, user, fed in _ = try await Disbursements(db).pay([99], in: fed, on: date, file: false, by: user) },
        .reportRead: { db, user, fed in _ = try await IncomeStatementReport(db).make(for: fed, year: 2024, by: user) },
        .auditRead: { db, user, fed in _ = try await AuditTrail(db).list(in: fed, by: user) },
        .userManage: { db, user, fed in _ = try await Users(db).grant([RoleGrant(federation: fed, role: .board)], to: "p.board", by: user) },
        .nightlyRun: { db, user, _ in _ = try await NightlyRun(db, dropFolder: nil).run(at: date, by: user) },
        .schemaMigrate: { _, _, _ in },
        .credentialManage: { db, user, _ in _ = try await Credentials(db).tokens(of: nil, by: user) },
    ]

    /// Whether `call` was refused for want of a right, and with which code.
    static func refusal(_ call: Call, _ database: Database, _ user: User, _ federation: String) async -> String? {
        do {
            try await call(database, user, federation)
            return nil
        } catch let error as ServiceError {
            return error.code.hasPrefix("rights.") ? error.code : nil
        } catch {
            return nil
        }
    }

    @Test func everyRoleMayDoInItsFederationWhatTheTableSaysAndNothingInAnother() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await LedgerTests.seed(database)
            let office = LedgerTests.user
            for role in Role.allCases {
                _ = try await Users(database).add(code: "p.\(role.rawValue)", name: "Person \(role.swedishName)",
                    roles: [RoleGrant(federation: "norrdalen", role: role)], by: office)
            }
            // Every use case has its call; migrating is not a call of the service (the Migrator runs as the owner).
            #expect(Set(Self.calls.keys) == Set(UseCase.allCases))
            var cells = 0
            for useCase in UseCase.allCases where useCase != .schemaMigrate {
                let call = try #require(Self.calls[useCase])
                for role in Role.allCases {
                    let person = User.person("p.\(role.rawValue)")
                    let federationLess: Set<UseCase> = [.federationCreate, .nightlyRun]
                    let own = await Self.refusal(call, database, person, "norrdalen")
                    let allowed = Rights.allows([role], useCase)
                    #expect(own == (allowed ? nil : "rights.role-missing"), "\(role) \(useCase) in its own federation")
                    if !federationLess.contains(useCase) {
                        let other = await Self.refusal(call, database, person, "sjobygden")
                        #expect(other == "rights.role-missing", "\(role) \(useCase) in another federation")
                    }
                    cells += 1
                }
            }
            #expect(cells == (UseCase.allCases.count - 1) * Role.allCases.count)
            // The operator: everything but what needs a named person.
            for useCase in UseCase.allCases where useCase != .schemaMigrate {
                let refused = await Self.refusal(try #require(Self.calls[useCase]), database, office, "sjobygden")
                let personal: Set<UseCase> = [.disbursementApprove, .disbursementReturn, .disbursementReject]
                #expect(refused == (personal.contains(useCase) ? "rights.person-required" : nil), "operator \(useCase)")
            }
            // The nightly job: imports, reconciles and reads.
            for useCase in [UseCase.voucherPost, .memberChange, .disbursementPay, .userManage] {
                #expect(await Self.refusal(try #require(Self.calls[useCase]), database, .system(), "norrdalen") == "rights.system-refused")
            }
            for useCase in [UseCase.reconcile, .reportRead, .bankFileImport, .nightlyRun] {
                #expect(await Self.refusal(try #require(Self.calls[useCase]), database, .system(), "norrdalen") == nil, "system \(useCase)")
            }
        }
    }
}
