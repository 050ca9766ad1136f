import ArgumentParser

@main
struct Finsam: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finsam",
        abstract: "Administration för samordningsförbund: medlemmar, bidrag, beslut, utbetalningar och bokföring.",
        discussion: """
            Databasen anges med FINSAM_DATABASE_URL (en libpq-URL). Utan den används den inbyggda databasen \
            som scripts/dev-db start har startat i projektets mapp .finsam/.
            """,
        subcommands: [
            MigrateCommand.self, FederationCommand.self, MemberCommand.self, PopulationCommand.self, AccountCommand.self,
            InterventionCommand.self, VoucherCommand.self, PeriodCommand.self, BudgetCommand.self, ForecastCommand.self,
            ReportCommand.self, SIECommand.self, ContributionsCommand.self, InvoiceCommand.self, PaymentCommand.self, UserCommand.self, DecisionCommand.self,
            DisbursementCommand.self, BankCommand.self, ReconcileCommand.self, NightlyCommand.self, AuditCommand.self, DemoCommand.self,
        ]
    )
}
