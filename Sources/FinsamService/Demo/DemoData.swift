public import FinsamCore
import Postgres

/// What loading the demo did.
public struct DemoSummary: Sendable, Codable, Equatable {
    /// False when the demo's federations were already there (nothing was written).
    public var loaded: Bool
    public var federations: [String]
    public var members: Int
    public var interventions: Int
    public var vouchers: Int
    /// Contribution invoices issued by the demo's invoice runs (each also a voucher).
    public var invoices: Int
    public var budgetLines: Int
    /// Funding decisions per municipality and half-year (Norra Älvmark's two interventions).
    public var decisions: Int = 0
    public var bookedThrough: CalendarDate
    /// The demo's users, who sign in to finsamd with the password `demo`.
    public var users: [String] = DemoFunding.people.map(\.code)
    public var password: String = DemoFunding.password
}

/// Loads the demo county (DemoCounty) through the same rules as every other use case, in one transaction: the
/// demo is there whole or not at all. Loading again changes nothing.
public struct DemoData: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func load(by user: User) async throws -> DemoSummary {
        let codes = DemoCounty.plans.map(\.info.code)
        return try await database.write(user, .federationCreate) { c in
            // Serializes two loads that start at once: the second waits here, then finds the federations.
            try await c.query("SELECT pg_advisory_xact_lock(hashtext('finsam demo data'))")
            let existing = try await c.query("SELECT code FROM federation WHERE code = ANY($1) ORDER BY code", [codes])
                .rows.map { try $0.decode(String.self, at: 0) }
            if existing.count == codes.count {
                return DemoSummary(loaded: false, federations: codes, members: 0, interventions: 0, vouchers: 0,
                    invoices: 0, budgetLines: 0, bookedThrough: DemoCounty.bookedThrough)
            }
            guard existing.isEmpty else {
                throw ServiceError.conflict(
                    "demodata kan inte läggas in: förbunden \(existing.joined(separator: ", ")) finns redan men inte alla tre")
            }
            let vouchers = DemoCounty.vouchers()
            var summary = DemoSummary(loaded: true, federations: codes, members: 0, interventions: 0, vouchers: 0,
                invoices: 0, budgetLines: 0, bookedThrough: DemoCounty.bookedThrough)
            for plan in DemoCounty.plans {
                let federation = try await FederationStore.createFederation(c,
                    code: plan.info.code, name: plan.info.name, orgnr: plan.info.orgnr, seatMunicipality: plan.info.seat)
                _ = try await InvoiceSettingsStore.updateInvoiceSettings(c, federationID: federation.id, bankgiro: plan.info.bankgiro, dueDays: nil)
                let members = [DemoCounty.fk, DemoCounty.af, DemoCounty.region] + plan.municipalities.map {
                    MemberDetails(code: $0.code, kind: .municipality, name: $0.name, orgnr: $0.orgnr,
                        peppolId: "0007:" + $0.orgnr.filter(\.isNumber), invoiceAddress: DemoCounty.invoiceAddress(of: $0),
                        buyerReference: "SAMORDNING")
                }
                for member in members {
                    let added = try await MemberStore.addMember(c, member, federationID: federation.id)
                    try await MemberStore.setInvoiceSchedule(c,
                        DemoCounty.schedule(of: added.code, in: plan), memberID: added.id, federationID: federation.id)
                }
                summary.members += members.count
                for municipality in plan.municipalities {
                    for (year, population) in municipality.population {
                        _ = try await PopulationStore.setPopulation(c,
                            member: municipality.code, federationID: federation.id, year: year, population: population,
                            referenceDate: nil, source: "SCB, folkmängd 1 november \(year - 1)")
                    }
                }
                // The contribution plans the vouchers below invoice: the law's split by population.
                for year in DemoCounty.years {
                    _ = try await ContributionPlanStore.contributionPlan(c,
                        ContributionPlanRequest(year: year, totalKronor: plan.contributions[year]!),
                        federation: plan.info.code, preview: false, decidedBy: user.name)
                }
                let interventions = DemoCounty.interventions(of: plan)
                for intervention in interventions { try await InterventionStore.insert(c, intervention, federationID: federation.id) }
                summary.interventions += interventions.count
                if plan.info.code == DemoFunding.federation {
                    summary.decisions = try await DemoFunding.load(on: c, by: user)
                    summary.interventions += DemoFunding.interventions.count
                }
                // The vouchers in date order, with each quarter's invoice run in its place, so that numbers
                // follow the calendar in every series.
                var runs = DemoCounty.invoiceRuns[...]
                var payments = DemoCounty.payments(of: plan)[...]
                var disbursementPayments = plan.info.code == DemoFunding.federation ? DemoFunding.payments[...] : []
                func invoice(through date: CalendarDate) async throws {
                    while let run = runs.first, run.date <= date {
                        runs.removeFirst()
                        let result = try await InvoiceStore.runInvoices(c,
                            plan.info.code, period: run.period, issueDate: run.date, preview: false, issuedBy: user.name)
                        summary.invoices += result.invoices.count
                        summary.vouchers += result.invoices.count
                    }
                    while let payment = payments.first, payment.date <= date {
                        payments.removeFirst()
                        let invoiceID = try await c.query(
                            """
                            SELECT i.invoice_id FROM invoice i JOIN member m USING (federation_id, member_id)
                            WHERE i.federation_id = $1 AND m.code = $2 AND i.contribution_year = $3 AND i.installment = $4
                            """, [federation.id, payment.member, payment.year, payment.installment]).scalar(Int64.self)
                        _ = try await PaymentStore.registerPayment(c,
                            Money(kronor: payment.kronor), on: payment.date, invoiceID: invoiceID, reference: nil,
                            federationID: federation.id, registeredBy: user.name)
                        summary.vouchers += 1
                    }
                    while let batch = disbursementPayments.first, batch.date <= date {
                        disbursementPayments.removeFirst()
                        let paid = try await DisbursementStore.payDisbursements(c,
                            batch.numbers, in: plan.info.code, on: batch.date, file: false, by: DemoFunding.economist)
                        summary.vouchers += paid.disbursements.count
                    }
                }
                for draft in vouchers[plan.info.code] ?? [] {
                    try await invoice(through: draft.date)
                    try await VoucherStore.insertVoucher(c,
                        draft, federationID: federation.id,
                        source: draft.series == "IB" ? .opening : draft.series == "I" ? .payment : .manual,
                        sourceReference: "demo", idempotencyKey: nil, reverses: nil, postedBy: user.name)
                }
                try await invoice(through: DemoCounty.bookedThrough)
                summary.vouchers += vouchers[plan.info.code]?.count ?? 0
                let budgets = DemoCounty.budgets(of: plan)
                try await BudgetStore.setBudgetLines(c, budgets, federationID: federation.id, by: user.name)
                summary.budgetLines += budgets.count
                // The closed year is locked, and the months of the year in progress up to the last one closed.
                _ = try await PeriodLockStore.lockPeriod(c, year: 2025, month: nil, federationID: federation.id, by: user.name)
                for month in 1..<DemoCounty.bookedThrough.month {
                    _ = try await PeriodLockStore.lockPeriod(c,
                        year: DemoCounty.bookedThrough.year, month: month, federationID: federation.id, by: user.name)
                }
            }
            try await DemoFunding.finish(on: c, by: user)
            // The tables were empty a moment ago: without fresh statistics the first queries are planned for tables
            // of unknown size (schema/030).
            try await c.query("SELECT finsam_refresh_statistics()")
            return summary
        }
    }
}
