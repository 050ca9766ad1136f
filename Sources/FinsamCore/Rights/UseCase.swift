/// Every use case of the platform, as the rights table (`Rights`) knows it: what an actor asks to do in one
/// federation. The raw value is the stable name the audit trail and the API use.
public enum UseCase: String, Sendable, Codable, CaseIterable {
    // The federation and its members.
    case federationCreate = "federation.create"
    case federationRead = "federation.read"
    case federationSettings = "federation.settings"
    case memberChange = "member.change"
    case memberRead = "member.read"
    case populationSet = "population.set"
    // The ledger.
    case chartChange = "chart.change"
    case postingAccountsSet = "posting-accounts.set"
    case voucherPost = "voucher.post"
    case voucherReverse = "voucher.reverse"
    case voucherRead = "voucher.read"
    case periodLock = "period.lock"
    case budgetSet = "budget.set"
    case sieImport = "sie.import"
    case sieExport = "sie.export"
    // Contributions and invoicing.
    case contributionPlan = "contribution.plan"
    case invoiceRun = "invoice.run"
    case invoiceRead = "invoice.read"
    case invoiceSettings = "invoice.settings"
    case creditNoteIssue = "credit-note.issue"
    case paymentRegister = "payment.register"
    case paymentReverse = "payment.reverse"
    // Bank files and the reconciliation.
    case bankFileImport = "bank-file.import"
    case bankPaymentSettle = "bank-payment.settle"
    case reconcile = "reconcile"
    // Funding decisions and disbursements.
    case decisionChange = "decision.change"
    case disbursementPrepare = "disbursement.prepare"
    case disbursementSubmit = "disbursement.submit"
    case disbursementApprove = "disbursement.approve"
    case disbursementReturn = "disbursement.return"
    case disbursementReject = "disbursement.reject"
    case disbursementPay = "disbursement.pay"
    // Reading.
    case reportRead = "report.read"
    case auditRead = "audit.read"
    // People.
    case userManage = "user.manage"
    /// Setting a person's password, making and revoking their API tokens: the operator's alone. An admin holds the
    /// role in one federation; a password opens every federation the person holds a role in.
    case credentialManage = "credential.manage"
    // The system's own work.
    case nightlyRun = "nightly.run"
    /// Applying the schema's migrations: the operator's, with the database owner's credentials.
    case schemaMigrate = "schema.migrate"

    /// Whether the use case changes nothing.
    public var isRead: Bool {
        switch self {
        case .federationRead, .memberRead, .voucherRead, .invoiceRead, .reportRead, .auditRead, .sieExport, .reconcile: true
        default: false
        }
    }

    /// How a refusal names it, in Swedish.
    public var swedishName: String {
        switch self {
        case .federationCreate: "lägga upp ett förbund"
        case .federationRead: "se förbundet"
        case .federationSettings: "ändra förbundets inställningar"
        case .memberChange: "ändra medlemmar"
        case .memberRead: "se medlemmarna"
        case .populationSet: "ange invånarantal"
        case .chartChange: "ändra kontoplanen"
        case .postingAccountsSet: "ändra kontona Finsam bokför på"
        case .voucherPost: "bokföra verifikationer"
        case .voucherReverse: "vända verifikationer"
        case .voucherRead: "se verifikationer"
        case .periodLock: "låsa perioder"
        case .budgetSet: "ange budget och prognos"
        case .sieImport: "läsa in SIE-filer"
        case .sieExport: "exportera SIE-filer"
        case .contributionPlan: "planera medlemsbidragen"
        case .invoiceRun: "fakturera"
        case .invoiceRead: "se fakturor"
        case .invoiceSettings: "ändra faktureringens inställningar"
        case .creditNoteIssue: "kreditera fakturor"
        case .paymentRegister: "registrera inbetalningar"
        case .paymentReverse: "återföra inbetalningar"
        case .bankFileImport: "läsa in bankfiler"
        case .bankPaymentSettle: "stämma av bankbetalningar"
        case .reconcile: "stämma av bokföringen"
        case .decisionChange: "registrera och justera beslut"
        case .disbursementPrepare: "förbereda utbetalningar"
        case .disbursementSubmit: "skicka in utbetalningar"
        case .disbursementApprove: "attestera utbetalningar"
        case .disbursementReturn: "återsända utbetalningar"
        case .disbursementReject: "avslå utbetalningar"
        case .disbursementPay: "betala ut"
        case .reportRead: "läsa rapporter"
        case .auditRead: "läsa granskningsloggen"
        case .userManage: "hantera användare och roller"
        case .credentialManage: "sätta lösenord och API-nycklar"
        case .nightlyRun: "köra nattens körning"
        case .schemaMigrate: "uppdatera databasens schema"
        }
    }
}
