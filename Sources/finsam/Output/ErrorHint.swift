import FinsamCore
import FinsamService

/// The CLI's hint for a service error: the command or flag that mends it. The service's messages name no command
/// (errors are data: a code and its arguments); the CLI knows its own syntax.
enum ErrorHint {
    static func hint(for error: ServiceError) -> String? {
        let federation = error.arguments["federation"] ?? "FÖRBUND"
        let member = error.arguments["member"] ?? "MEDLEM"
        switch error.code {
        case "federation.bankgiro-missing":
            return "ange det med finsam federation set \(federation) --bankgiro NNNN-NNNN"
        case "federation.payer-account-missing":
            return "ange det med finsam federation payout \(federation) --iban … --bic …"
        case "bank-payment.deduction":
            return "reglera det med finsam bank settle \(federation) \(error.arguments["bankPayment"] ?? "ID") --voucher SERIE-NR --year ÅR"
        case "member.reference-missing":
            return "ange den med finsam member set \(federation) \(member) --reference REF"
        case "member.payout-account-missing":
            return "ange det med finsam member payout \(federation) \(member) --bankgiro … eller --bank-account …"
        case "credit-note.reason-missing", "payment.reason-missing":
            return "ange --reason"
        case "disbursement.comment-missing":
            return "ange --comment"
        case "report.date-outside-year":
            return "--to ska ligga i --year"
        case "user.not-found":
            return "lägg till den med finsam user add"
        case "user.unknown-actor":
            return "ange vem du är med --user eller FINSAM_USER (finsam user add lägger till användare)"
        case "rights.person-required":
            return "ange vem som gör det med --user KOD eller FINSAM_USER"
        case "rights.role-missing":
            if let useCase = error.arguments["useCase"].flatMap(UseCase.init(rawValue:)), Rights.roles(for: useCase).isEmpty {
                // No role gives it: the operator does it, naming no user.
                return "kör kommandot som driften, utan --user och utan FINSAM_USER"
            }
            return "en administratör ger rollen med finsam user grant \(error.arguments["actor"] ?? "KOD") --role \(federation):ROLL"
        case "voucher.belongs-to-invoice":
            return "kreditera fakturan med finsam invoice credit"
        case "voucher.belongs-to-payment":
            return "återför betalningen med finsam payment reverse"
        case "contribution-plan.missing":
            return "gör den med finsam contributions plan \(federation) --year \(error.arguments["year"] ?? "ÅR") --total …"
        case "contribution-plan.unsplittable":
            return "gör om den med finsam contributions plan"
        case "population.missing":
            return "ange den med finsam population set \(federation) \(member) --year \(error.arguments["year"] ?? "ÅR") --population …"
        case "population.reference-dates-differ":
            return "ange --reference-date"
        case "intervention.not-funded-by-decisions":
            return "sätt --funding fte-rate eller fixed när insatsen läggs till"
        case "decision.fte-rate-missing":
            return "ange --fte och --rate (ett fast belopp med --amount)"
        case "decision.fte-zero":
            return "en vakans anges med finsam decision adjust --vacant"
        case "decision.fixed-with-fte":
            return "ange bara --amount"
        case "decision.wrong-model":
            return error.arguments["model"] == "fixed" ? "ange --amount" : "ange --fte och --rate"
        case "adjustment.fte-on-fixed":
            return "ange --percent eller --vacant"
        default:
            return nil
        }
    }
}
