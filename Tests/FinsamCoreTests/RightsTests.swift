import FinsamCore
import Testing

/// The rights table walked whole (issue 15): every role against every use case, the expectation written here from
/// the issue's list of roles, not read from `Rights`.
@Suite struct RightsTests {
    static let reads: Set<UseCase> = [.federationRead, .memberRead, .voucherRead, .invoiceRead, .reportRead, .auditRead,
                                      .reconcile, .sieExport]
    static let economyWork: Set<UseCase> = [
        .memberChange, .populationSet, .chartChange, .postingAccountsSet, .voucherPost, .voucherReverse, .periodLock,
        .budgetSet, .sieImport, .contributionPlan, .invoiceRun, .invoiceSettings, .creditNoteIssue, .paymentRegister,
        .paymentReverse, .bankFileImport, .bankPaymentSettle, .decisionChange, .disbursementPrepare, .disbursementSubmit,
        .disbursementPay,
    ]

    /// What each role may do, by the issue: the economy office everything of its own but approving (it withdraws a
    /// draft by rejecting it); the director approves, returns and rejects and reads; the chair co-approves, and
    /// returns or rejects what waits for its approval, and reads; the board and the auditors read; the administrator
    /// keeps users, roles and settings, the board's funding decisions among them.
    static let expected: [Role: Set<UseCase>] = [
        .economy: reads.union(economyWork).union([.disbursementReject]),
        .director: reads.union([.disbursementApprove, .disbursementReturn, .disbursementReject]),
        .chair: reads.union([.disbursementApprove, .disbursementReturn, .disbursementReject]),
        .board: reads,
        .auditor: reads,
        .admin: [.federationRead, .federationSettings, .userManage, .decisionChange],
    ]

    @Test func everyRoleMayDoExactlyItsUseCases() {
        for role in Role.allCases {
            for useCase in UseCase.allCases {
                let may = Self.expected[role]!.contains(useCase)
                #expect(Rights.allows([role], useCase) == may, "\(role) \(useCase)")
            }
        }
    }

    @Test func noRoleCreatesAFederationRunsTheNightOrMigrates() {
        for useCase in [UseCase.federationCreate, .nightlyRun, .schemaMigrate] {
            #expect(Rights.roles(for: useCase).isEmpty)
            #expect(Rights.refusal(useCase, federation: "norralv") == "att \(useCase.swedishName) kan bara göras av driften, inte av en användare")
        }
    }

    @Test func aRoleInOneFederationGivesNothingInAnother() {
        let lena = Actor(kind: .user("lena.lind"), roles: ["norralv": [.economy], "sodermark": [.board]])
        #expect(lena.may(.voucherPost, in: "norralv"))
        #expect(!lena.may(.voucherPost, in: "sodermark"))
        #expect(lena.may(.reportRead, in: "sodermark"))
        #expect(!lena.may(.reportRead, in: "ostervik"))
        #expect(lena.refusal(.voucherPost, in: "sodermark") == "lena.lind får inte bokföra verifikationer i sodermark: det kräver rollen ekonom")
        let anna = Actor(kind: .user("anna.dahl"), roles: ["norralv": [.director]])
        #expect(anna.refusal(.voucherPost, in: "norralv") == "anna.dahl får inte bokföra verifikationer i norralv: det kräver rollen ekonom")
        let siv = Actor(kind: .user("siv.berg"), roles: ["norralv": [.board]])
        #expect(siv.refusal(.disbursementApprove, in: "norralv")
            == "siv.berg får inte attestera utbetalningar i norralv: det kräver en av rollerna förbundschef eller ordförande")
        #expect(siv.refusal(.reportRead, in: "ostervik")
            == "siv.berg får inte läsa rapporter i ostervik: det kräver en av rollerna ekonom, förbundschef, ordförande, styrelseledamot eller revisor")
    }

    @Test func theOperatorMayDoAllButWhatNeedsANamedPerson() {
        let operator_ = Actor(kind: .operator("root"))
        #expect(operator_.recordedName == "operator:root")
        for useCase in UseCase.allCases {
            let personal = [UseCase.disbursementApprove, .disbursementReturn, .disbursementReject].contains(useCase)
            #expect(operator_.may(useCase, in: "norralv") == !personal, "\(useCase)")
        }
        #expect(operator_.refusal(.disbursementApprove, in: "norralv")
            == "att attestera utbetalningar kräver en namngiven person med rätt roll, inte driften")
    }

    @Test func theNightlyJobImportsReconcilesAndReadsOnly() {
        let night = Actor(kind: .system)
        let allowed: Set<UseCase> = [.nightlyRun, .bankFileImport, .reconcile, .federationRead, .reportRead]
        for useCase in UseCase.allCases {
            #expect(night.may(useCase, in: "norralv") == allowed.contains(useCase), "\(useCase)")
        }
        #expect(night.recordedName == "system")
    }

    @Test func everyUseCaseHasAStableDottedName() {
        let names = UseCase.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(name.allSatisfy { $0.isLowercase || $0 == "." || $0 == "-" }, "\(name)")
        }
    }
}
