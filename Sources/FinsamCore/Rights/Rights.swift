/// The rights table: which roles may do which use case in a federation (issue 15, ARCHITECTURE.md "The service
/// boundary"). A role is held in one federation and gives nothing in another; the service asks here with the
/// actor's roles in the federation the use case concerns.
///
/// - economy: everything of the economy office: the ledger, members, contributions, invoicing, bank files,
///   preparing, submitting and paying disbursements (and withdrawing, as a rejection, one not yet submitted), reports.
/// - director: approves, returns and rejects the federation's disbursements; reads everything of the federation;
///   changes nothing in the ledger.
/// - chair: co-approves above the delegation limit, and like the director returns or rejects what waits for its
///   approval; reads like a director. Which disbursement each may move is the approval flow's (`ApprovalFlow`).
/// - board, auditor: read only.
/// - admin: users, roles and the federation's settings, the board's funding decisions among them (they set what
///   each intervention gets, and are no ledger work); no ledger work unless also economy.
///
/// Some use cases belong to no role: creating a federation, setting passwords and tokens, migrating (the operator at
/// the server's terminal) and the nightly run (the system itself).
public enum Rights {
    /// The roles that may do `useCase`; empty for what only the operator or the system does.
    public static func roles(for useCase: UseCase) -> Set<Role> {
        switch useCase {
        case .federationCreate, .nightlyRun, .schemaMigrate, .credentialManage:
            []
        case .federationRead:
            [.economy, .director, .chair, .board, .auditor, .admin]
        case .memberRead, .voucherRead, .invoiceRead, .reportRead, .auditRead, .reconcile, .sieExport:
            [.economy, .director, .chair, .board, .auditor]
        case .federationSettings, .userManage:
            [.admin]
        case .decisionChange:
            [.economy, .admin]
        case .disbursementApprove, .disbursementReturn:
            [.director, .chair]
        case .disbursementReject:
            [.economy, .director, .chair]
        case .memberChange, .populationSet, .chartChange, .postingAccountsSet, .voucherPost, .voucherReverse, .periodLock,
            .budgetSet, .sieImport, .contributionPlan, .invoiceRun, .invoiceSettings, .creditNoteIssue, .paymentRegister,
            .paymentReverse, .bankFileImport, .bankPaymentSettle, .disbursementPrepare, .disbursementSubmit,
            .disbursementPay:
            [.economy]
        }
    }

    /// Whether someone holding `roles` in a federation may do `useCase` there.
    public static func allows(_ roles: Set<Role>, _ useCase: UseCase) -> Bool {
        !roles.isDisjoint(with: Self.roles(for: useCase))
    }

    /// Why someone without the right is refused, naming the role that is needed (Swedish, no command syntax).
    public static func refusal(_ useCase: UseCase, federation: String) -> String {
        roles(for: useCase).isEmpty
            ? "att \(useCase.swedishName) kan bara göras av driften, inte av en användare"
            : "att \(useCase.swedishName) i \(federation) kräver " + neededRoles(useCase)
    }

    /// `rollen ekonom`, `en av rollerna förbundschef eller ordförande`, in the rights table's order of roles.
    public static func neededRoles(_ useCase: UseCase) -> String {
        let needed = Role.allCases.filter { roles(for: useCase).contains($0) }.map(\.swedishName)
        guard let last = needed.last, needed.count > 1 else { return "rollen " + (needed.first ?? "") }
        return "en av rollerna " + needed.dropLast().joined(separator: ", ") + " eller " + last
    }
}
