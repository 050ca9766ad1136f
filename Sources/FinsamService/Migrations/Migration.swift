/// One numbered SQL file of `schema/`, embedded in the binary so that `finsam migrate` works from any folder
/// and a deployed binary carries exactly the schema it was built with.
public struct Migration: Sendable, Equatable {
    /// The number the file name starts with: `001_federations.sql` is version 1.
    public var version: Int
    /// The file name, e.g. `001_federations.sql`.
    public var name: String
    public var sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
        self.version = Int(name.prefix { $0.isNumber }) ?? 0
    }

    init(name: String, bytes: [UInt8]) {
        self.init(name: name, sql: String(decoding: bytes, as: UTF8.self))
    }

    /// Every migration of this build, in order. Adding a file to `schema/` means adding its line here too;
    /// a test checks that this list and the folder agree, file for file and byte for byte.
    public static let all: [Migration] = [
        Migration(name: "001_federations.sql", bytes: PackageResources._01_federations_sql),
        Migration(name: "002_ledger.sql", bytes: PackageResources._02_ledger_sql),
        Migration(name: "003_internal_accounts.sql", bytes: PackageResources._03_internal_accounts_sql),
        Migration(name: "004_ledger_day_balance.sql", bytes: PackageResources._04_ledger_day_balance_sql),
        Migration(name: "005_contribution_plans.sql", bytes: PackageResources._05_contribution_plans_sql),
        Migration(name: "006_invoices.sql", bytes: PackageResources._06_invoices_sql),
        Migration(name: "007_invoice_payments.sql", bytes: PackageResources._07_invoice_payments_sql),
        Migration(name: "008_credit_notes.sql", bytes: PackageResources._08_credit_notes_sql),
        Migration(name: "009_membership_months.sql", bytes: PackageResources._09_membership_months_sql),
        Migration(name: "010_payment_reversals.sql", bytes: PackageResources._10_payment_reversals_sql),
        Migration(name: "011_funding_decisions.sql", bytes: PackageResources._11_funding_decisions_sql),
        Migration(name: "012_bank_payments.sql", bytes: PackageResources._12_bank_payments_sql),
        Migration(name: "013_bank_payment_vouchers.sql", bytes: PackageResources._13_bank_payment_vouchers_sql),
        Migration(name: "014_bank_statements.sql", bytes: PackageResources._14_bank_statements_sql),
        Migration(name: "015_guards.sql", bytes: PackageResources._15_guards_sql),
        Migration(name: "016_plain_text.sql", bytes: PackageResources._16_plain_text_sql),
        Migration(name: "017_chart_mapping.sql", bytes: PackageResources._17_chart_mapping_sql),
        Migration(name: "018_actors.sql", bytes: PackageResources._18_actors_sql),
        Migration(name: "019_audit_trail.sql", bytes: PackageResources._19_audit_trail_sql),
        Migration(name: "020_application_role.sql", bytes: PackageResources._20_application_role_sql),
        Migration(name: "021_sign_in.sql", bytes: PackageResources._21_sign_in_sql),
        Migration(name: "022_idempotent_requests.sql", bytes: PackageResources._22_idempotent_requests_sql),
        Migration(name: "023_scope_speed.sql", bytes: PackageResources._23_scope_speed_sql),
        Migration(name: "024_audit_empty_statements.sql", bytes: PackageResources._24_audit_empty_statements_sql),
        Migration(name: "025_scope_once_per_table.sql", bytes: PackageResources._25_scope_once_per_table_sql),
        Migration(name: "026_disbursement_batch_file.sql", bytes: PackageResources._26_disbursement_batch_file_sql),
        Migration(name: "027_account_group_inlined.sql", bytes: PackageResources._27_account_group_inlined_sql),
        Migration(name: "028_nightly_reconciliation_results.sql", bytes: PackageResources._28_nightly_reconciliation_results_sql),
        Migration(name: "029_scope_in_session_table.sql", bytes: PackageResources._29_scope_in_session_table_sql),
        Migration(name: "030_statistics_after_bulk_loads.sql", bytes: PackageResources._30_statistics_after_bulk_loads_sql),
    ]

    /// The newest schema version this build knows.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
