import FinsamCore
import Foundation
import Postgres

/// A use case that could not be done, with the reason in Swedish for the person who asked. Nothing was changed:
/// the transaction was rolled back.
///
/// Errors are data (ARCHITECTURE.md, "The service boundary"): a kind (what an API status says), a stable `code`
/// (`federation.bankgiro-missing`) with its `arguments` (which federation, which member), a message that names no
/// command or flag, and for a database error the underlying error for the log (never in the message). Each front end
/// renders its own hint from the code: the CLI names the command that mends it.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, Codable {
        /// The input breaks a rule (400 in the API).
        case invalid
        /// Something named does not exist or is not visible to the user (404).
        case notFound
        /// The request conflicts with what is already there (409).
        case conflict
        /// The user may not do this (403).
        case forbidden
        /// Nobody is signed in: no session or API token, or one that expired, was signed out or revoked (401).
        case unauthenticated
        /// The database failed in a way the user cannot fix (500).
        case unavailable

        /// The code of an error that has no code of its own.
        public var code: String {
            switch self {
            case .invalid: "invalid"
            case .notFound: "not-found"
            case .conflict: "conflict"
            case .forbidden: "forbidden"
            case .unauthenticated: "unauthenticated"
            case .unavailable: "unavailable"
            }
        }
    }

    public var kind: Kind
    public var message: String
    /// Stable: `federation.bankgiro-missing`, `disbursement.own`; for errors not yet given their own, the kind's
    /// (`invalid`, `not-found`, `conflict`, `forbidden`, `unavailable`).
    public var code: String
    /// What the code is about, by name: `federation`, `member`, `number` …
    public var arguments: [String: String]
    /// The database's own error, for the log.
    public var underlying: String?

    public init(_ kind: Kind, _ message: String, code: String? = nil, arguments: [String: String] = [:], underlying: String? = nil) {
        self.kind = kind
        self.message = message
        self.code = code ?? kind.code
        self.arguments = arguments
        self.underlying = underlying
    }

    public var description: String { message }

    static func invalid(_ message: String) -> ServiceError { ServiceError(.invalid, message) }
    static func notFound(_ message: String) -> ServiceError { ServiceError(.notFound, message) }
    static func conflict(_ message: String) -> ServiceError { ServiceError(.conflict, message) }

    /// Translates what the database refused into words for the user. The constraint names and FN codes are
    /// those of schema/; anything unknown becomes a generic message. The code is `database.` and the constraint or
    /// SQLSTATE; the database's own error is kept for the log.
    init(_ error: PostgresError) {
        self.init(translating: error)
        code = "database." + (error.constraint ?? error.sqlState ?? "\(error.kind)")
        underlying = "\(error)"
    }

    private init(translating error: PostgresError) {
        if let constraint = error.constraint, let message = ServiceError.constraintMessages[constraint] {
            self.init(error.sqlState == "23505" ? .conflict : .invalid, message)
            return
        }
        if let constraint = error.constraint, constraint.hasSuffix("_plain") {
            // schema/016: the same rule as FinsamCore's PlainText, which the use cases check first.
            self.init(.invalid, "texten innehåller styrtecken eller är för lång (databasen vägrade)")
            return
        }
        if let constraint = error.constraint, constraint.hasSuffix("_ore_within_limit") {
            // schema/015: every amount and every maintained balance stays within FinsamCore's Money.limit.
            let balance = constraint.hasPrefix("ledger_")
            self.init(.invalid, (balance ? "ett kontos saldo skulle bli" : "beloppet är")
                + " större än Finsam tillåter (högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
            return
        }
        if error.kind == .encoding {
            // A value the client sent that PostgreSQL cannot hold (a NUL character in a text): bad input, not the
            // database failing.
            self.init(.invalid, "ett värde kan inte sparas i databasen (till exempel ett NUL-tecken i en text)")
            return
        }
        if error.kind == .connection {
            self.init(.unavailable, ServiceError.connectionMessage(error.serverMessage ?? ""))
            return
        }
        switch error.sqlState {
        case "FN001": self.init(.invalid, "verifikationen balanserar inte (databasen vägrade)")
        case "FN002": self.init(.invalid, "en verifikation behöver minst två rader (databasen vägrade)")
        case "FN003": self.init(.conflict, "bokförda verifikationer kan inte ändras eller tas bort; vänd dem i stället")
        case "FN004": self.init(.conflict, "perioden är låst: \(error.serverMessage ?? "")")
        case "FN005": self.init(.conflict, "verifikationsnumret skulle ge en lucka eller en dubblett i serien")
        case "FN007":
            self.init(.invalid, "en kostnadsrad måste ha en insats eller ett konto med kostnadskategori")
        case "FN012": self.init(.invalid, "krediteringarna skulle bli större än fakturans belopp (databasen vägrade)")
        case "FN020": self.init(.invalid, "insatsen finansieras på annat sätt än beslutet anger (databasen vägrade)")
        case "FN021": self.init(.invalid, "beslut om insatser per kommun gäller bara kommuner (databasen vägrade)")
        case "FN022": self.init(.conflict, "ett annat beslut från samma möte gäller redan någon av månaderna (databasen vägrade)")
        case "FN023": self.init(.invalid, "justeringens månader ligger utanför beslutets (databasen vägrade)")
        case "FN024": self.init(.invalid, "justeringen passar inte beslutets finansieringsform (databasen vägrade)")
        case "FN025": self.init(.conflict, "en annan justering av beslutet gäller redan någon av månaderna (databasen vägrade)")
        case "FN026": self.init(.conflict, "utbetalningen kan inte ändras i sitt nuvarande läge (databasen vägrade)")
        case "FN027": self.init(.conflict, "den övergången finns inte för en utbetalning (databasen vägrade)")
        case "FN028": self.init(.conflict, "utbetalningen saknar attest som krävs (databasen vägrade)")
        case "FN029": self.init(.forbidden, "ingen får attestera en utbetalning som de själva förberett eller skickat in (databasen vägrade)")
        case "FN030": self.init(.forbidden, "den som attesterar saknar rollen i förbundet (databasen vägrade)")
        case "FN031": self.init(.conflict, "årets medlemsbidrag är fakturerade: planen ersätts av en ny, den ändras inte (databasen vägrade)")
        case "FN032": self.init(.conflict, "årets medlemsbidrag är fakturerade: planen kan ersättas men inte tas bort (databasen vägrade)")
        case "FN033", "FN034":
            self.init(.conflict, "utbetalningens historik måste visa varje ändring, i ordning (databasen vägrade)")
        case "FN035": self.init(.invalid, "vändningen av betalningen måste vara verifikationen som vänder betalningens egen (databasen vägrade)")
        case "FN036":
            self.init(.conflict, "en bankbetalning är antingen väntande eller bokförd mot fakturor eller en verifikation, aldrig flera (databasen vägrade)")
        case "FN010": self.init(.invalid, "medlemsbidragen summerar inte till planens totalbelopp (databasen vägrade)")
        case "23505": self.init(.conflict, "finns redan (\(error.constraint ?? error.table ?? "unik nyckel"))")
        case "23503": self.init(.invalid, "hänvisar till något som inte finns (\(error.constraint ?? ""))")
        case "23514": self.init(.invalid, "ogiltigt värde (\(error.constraint ?? ""))")
        case "42501": self.init(.forbidden, "behörighet saknas")
        case let state? where state.hasPrefix("22"):
            // Class 22, data exception: a value out of range or of the wrong form reached the database. It came from
            // the request (the checks before should have caught it), so it is bad input, not the database failing.
            self.init(.invalid, "ett värde ligger utanför vad databasen tar emot (\(state))")
        default:
            self.init(.unavailable, "databasfel (\(error.sqlState ?? "\(error.kind)"))")
        }
    }

    /// Why the database could not be reached, in Swedish, from libpq's message: whether the host, the server, the
    /// database, the role or the password was wrong. libpq's messages name the host, port, database and role, never
    /// the password.
    static func connectionMessage(_ libpq: String) -> String {
        func quoted(after marker: String) -> String? {
            guard let start = libpq.range(of: marker) else { return nil }
            let rest = libpq[start.upperBound...]
            guard let open = rest.firstIndex(of: "\""), let close = rest[rest.index(after: open)...].firstIndex(of: "\"") else { return nil }
            return String(rest[rest.index(after: open)..<close])
        }
        let reason: String
        if libpq.contains("password authentication failed") {
            reason = "lösenordet godtogs inte för rollen \(quoted(after: "for user").map { "\"\($0)\"" } ?? "")"
        } else if libpq.contains("no password supplied") {
            reason = "servern kräver ett lösenord, och inget angavs (PGPASSWORD, ~/.pgpass eller anslutningssträngen)"
        } else if libpq.contains("role \""), libpq.contains("does not exist") {
            reason = "rollen \"\(quoted(after: "role") ?? "")\" finns inte på servern"
        } else if libpq.contains("database \""), libpq.contains("does not exist") {
            reason = "databasen \"\(quoted(after: "database") ?? "")\" finns inte på servern"
        } else if libpq.contains("could not translate host name") {
            reason = "värdnamnet \"\(quoted(after: "host name") ?? "")\" går inte att slå upp"
        } else if libpq.contains("Connection refused") || libpq.contains("No such file or directory") {
            let port = libpq.range(of: ", port ").map { String(libpq[$0.upperBound...].prefix { $0.isNumber }) }
            let place = quoted(after: "server at").map { "\($0)" + (port.map { " port \($0)" } ?? "") }
                ?? quoted(after: "on socket").map { "uttaget \($0)" } ?? "servern"
            reason = "ingen PostgreSQL svarar på \(place) (är servern igång, och är värd och port rätt?)"
        } else if libpq.contains("timeout expired") || libpq.contains("timed out") {
            reason = "servern svarade inte i tid"
        } else if libpq.contains("too many clients") || libpq.contains("too many connections") {
            reason = "servern tar inte emot fler anslutningar just nu"
        } else if libpq.contains("starting up") || libpq.contains("shutting down") || libpq.contains("in recovery mode") {
            reason = "servern startar eller stängs ner; försök igen om en stund"
        } else if libpq.contains("SSL") {
            reason = "den krypterade förbindelsen (SSL) kunde inte upprättas"
        } else {
            reason = "förbindelsen bröts eller kunde inte upprättas"
        }
        return "kan inte ansluta till databasen: \(reason)"
    }

    static let constraintMessages: [String: String] = [
        "federation_code_unique": "det finns redan ett förbund med den koden",
        "federation_orgnr_unique": "det finns redan ett förbund med det organisationsnumret",
        "federation_code_format": "koden ska vara 2–40 tecken a–z, 0–9 och bindestreck",
        "federation_orgnr_valid": "organisationsnumret är ogiltigt (NNNNNN-NNNN med rätt kontrollsiffra)",
        "app_user_pkey": "det finns redan en användare med den koden",
        "app_user_code_format": "användarkoden ska vara 2–40 tecken a–z, 0–9, punkt, understreck och bindestreck",
        "app_user_name_present": "ange användarens namn",
        "disbursement_one_in_progress": "det finns redan en utbetalning under arbete för medlemmen och halvåret",
        "disbursement_transition_comment_required": "ange en kommentar som säger varför",
        "federation_delegation_limit_whole_kronor": "delegationsgränsen ska vara hela kronor, 0 eller mer",
        "member_payout_bankgiro_format": "bankgironumret ska skrivas NNN-NNNN eller NNNN-NNNN",
        "member_payout_bank_account_format": "bankkontot ska skrivas clearingnummer-kontonummer",
        "funding_decision_fte_range": "omfattningen ska vara större än 0 och högst 20 tjänster",
        "funding_decision_rate_whole_kronor": "beloppet ska vara hela kronor och större än noll",
        "funding_decision_months_in_half": "månaderna ska ligga inom halvåret",
        "funding_adjustment_fte_range": "omfattningen ska vara 0–20 tjänster",
        "funding_adjustment_percent_range": "procentsatsen ska vara 0–100 %",
        "member_code_unique": "förbundet har redan en medlem med den koden",
        "member_orgnr_unique": "förbundet har redan en medlem med det organisationsnumret",
        "member_code_format": "koden ska vara 2–40 tecken a–z, 0–9 och bindestreck",
        "member_orgnr_valid": "organisationsnumret är ogiltigt (NNNNNN-NNNN med rätt kontrollsiffra)",
        "member_peppol_id_format": "Peppol-id ska skrivas SCHEMA:ID, t.ex. 0007:2120000530",
        "member_population_positive": "folkmängden måste vara större än noll",
        "member_population_year_range": "året ligger utanför 2004–2200",
        "account_number_range": "kontonumret ska ha 4–9 siffror och inte börja med 0",
        "contribution_plan_shares_hundred": "andelarna för staten, regionen och kommunerna ska summera till 100 %",
        "contribution_plan_total_whole_kronor": "totalbeloppet ska vara hela kronor och större än noll",
        "contribution_plan_year_range": "året ligger utanför 2004–2200",
        "account_member_kind_on_revenue": "bara intäktskonton (klass 3) kan vara medlemsbidragskonton",
        "account_category_on_cost": "bara kostnadskonton (klass 4–7) kan ha kostnadskategori",
        "account_administration_line_category": "en administrationsrad kräver kategorin administration",
        "intervention_code_unique": "förbundet har redan en insats med den koden",
        "intervention_code_format": "insatskoden ska vara 1–40 tecken A–Z, 0–9, punkt, bindestreck eller understreck",
        "intervention_active_range": "insatsens slutdatum ligger före startdatum",
        "voucher_reversed_once": "verifikationen är redan vänd",
        "voucher_idempotency_key_unique": "idempotensnyckeln är redan använd",
        "voucher_series_format": "serien ska vara 1–10 tecken A–Z, 0–9",
        "voucher_line_account_fk": "kontot finns inte i förbundets kontoplan",
        "voucher_line_intervention_fk": "insatsen finns inte i förbundet",
        "voucher_line_member_fk": "medlemmen finns inte i förbundet",
        "period_lock_unique": "perioden är redan låst",
        "budget_line_account_fk": "kontot finns inte i förbundets kontoplan",
        "import_file_unique": "filen är redan inläst i förbundet",
    ]
}
