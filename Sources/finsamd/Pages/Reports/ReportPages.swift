import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// The reports as pages (`/f/{federation}/rapporter/…`), for the board, the auditors and the economy office: the
/// income statement with a chart of budget, actual and forecast per line, the balance sheet at two dates, the cost
/// distribution with its shares as a chart, a decision table, the commitments per intervention, the year's
/// contributions, the open items, a member's statement and the audit trail. Each is the API's report (the same
/// service call, as the signed-in person), has a form for its dates, and links to its CSV.
struct ReportPages {
    let pages: PageRenderer
    let database: Database

    func addRoutes(to router: Router<FinsamRequestContext>) {
        router.get("/f/{federation}/rapporter/resultatrakning", use: incomeStatement)
        router.get("/f/{federation}/rapporter/balansrakning", use: balanceSheet)
        router.get("/f/{federation}/rapporter/kostnadsfordelning", use: costDistribution)
        router.get("/f/{federation}/rapporter/beslut", use: decisionTable)
        router.get("/f/{federation}/rapporter/ataganden", use: commitments)
        router.get("/f/{federation}/rapporter/medlemsbidrag", use: contributions)
        router.get("/f/{federation}/rapporter/oppna-poster", use: openItems)
        router.get("/f/{federation}/medlemmar/{member}/kontoutdrag", use: memberStatement)
        router.get("/f/{federation}/rapporter/handelselogg", use: auditTrail)
        router.get("/f/{federation}/rapporter/avstamning", use: reconciliation)
    }

    /// A report's page: the federation (which also proves the person may see it), the report, the answer.
    func report(_ request: Request, context: FinsamRequestContext,
        _ make: (QueryParameters, Federation, User) async throws -> ReportPage
    ) async throws -> Response {
        try await PageErrors.answer(pages, context: context) {
            let user = try context.user()
            let federation = try await Federations(database).find(try context.federation, by: user)
            let page = try await make(QueryParameters(request: request), federation, user)
            return page.response(pages, context: context, federation: federation, action: request.uri.path)
        }
    }

    /// The API's CSV of the same report. A value may come from what the person typed (a person's code in the audit
    /// trail's form), so each is percent-encoded.
    static func api(_ federation: Federation, _ path: String, _ query: [(String, String?)]) -> String {
        var components = URLComponents()
        components.path = "/api/v1/federations/\(federation.code)/\(path)"
        components.queryItems = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
            + [URLQueryItem(name: "format", value: "csv")]
        // URLComponents leaves `+` as it is, which a form decoder reads as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string ?? components.path
    }

    /// The year asked for, or this one; the last day of actual figures asked for, or today within this year and the
    /// year's end for another.
    static func yearAndEnd(_ query: QueryParameters) throws -> (year: Int, to: CalendarDate) {
        let today = CalendarDate.today
        let year = try query.year("ar") ?? today.year
        let to = try query.date("till") ?? (year == today.year ? today : .lastDay(ofYear: year))
        guard to.year == year else {
            throw ServiceError(.invalid, "till=\(to) ligger inte i år \(year)", code: "request.parameter-invalid", arguments: ["field": "till"])
        }
        return (year, to)
    }

    static func yearFields(_ year: Int, to: CalendarDate?) -> [ReportPage.Field] {
        [ReportPage.Field(name: "ar", label: "År", type: "number", value: "\(year)")]
            + (to.map { [ReportPage.Field(name: "till", label: "Utfall till och med", type: "date", value: "\($0)")] } ?? [])
    }

    // MARK: Income statement

    @Sendable func incomeStatement(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await report(request, context: context) { query, federation, user in
            let (year, to) = try Self.yearAndEnd(query)
            let statement = try await IncomeStatementReport(database).make(for: federation.code, year: year, to: to, by: user)
            return Self.incomeStatementPage(statement, csv: Self.api(federation, "reports/income-statement", [("year", "\(year)"), ("to", "\(to)")]))
        }
    }

    static func incomeStatementPage(_ s: IncomeStatement, csv: String) -> ReportPage {
        let headings = ["Utfall \(s.year - 1)", "Budget \(s.year)", "Utfall t.o.m. \(s.to)", "Helårsprognos"]
        func cells(_ a: IncomeStatement.Amounts) -> [PageTable.Cell] {
            [a.previousYear, a.budget, a.actual, a.forecast].map { .kronor($0) }
        }
        var table = PageTable(caption: "Resultaträkning \(s.year), kronor", labelHeading: "", numericColumns: headings)
        table.heading(s.revenue.title)
        s.revenue.rows.forEach { table.append($0.label, cells($0.amounts)) }
        table.append("Summa intäkter", cells(s.totalRevenue), kind: .subtotal)
        table.heading(s.costs.title)
        s.costs.rows.forEach { table.append($0.label, cells($0.amounts)) }
        table.heading(s.administration.title)
        s.administration.rows.forEach { table.append($0.label, cells($0.amounts)) }
        table.append("Summa kostnader", cells(s.totalCosts), kind: .subtotal)
        table.append("Årets resultat", cells(s.result), kind: .total)
        let series = ["Budget", "Utfall t.o.m. \(s.to)", "Helårsprognos"]
        func chart(_ id: String, _ title: String, _ rows: [IncomeStatement.Row]) -> (svg: String, caption: String)? {
            let groups = rows.filter { $0.amounts.budget != .zero || $0.amounts.actual != .zero || $0.amounts.forecast != .zero }
                .map { BarChart.Group(label: $0.label, values: [$0.amounts.budget, $0.amounts.actual, $0.amounts.forecast]) }
            guard !groups.isEmpty else { return nil }
            return (BarChart(id: id, title: title, series: series, groups: groups).svg, title)
        }
        let charts = [
            chart("chart-revenue", "Intäkter \(s.year): budget, utfall och prognos per rad", s.revenue.rows),
            chart("chart-costs", "Kostnader \(s.year): budget, utfall och prognos per rad", s.costs.rows + s.administration.rows),
        ].compactMap { $0 }
        return ReportPage(heading: "Resultaträkning \(s.year)", subtitle: "utfall till och med \(s.to)",
            fields: yearFields(s.year, to: s.to), csv: csv, charts: charts, tables: [table])
    }

    // MARK: Balance sheet

    @Sendable func balanceSheet(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await report(request, context: context) { query, federation, user in
            let at = try query.date("per") ?? .today
            let compare = try query.date("jamfor") ?? CalendarDate.lastDay(ofYear: at.year - 1)
            let sheet = try await BalanceSheetReport(database).make(for: federation.code, at: at, compare: compare, by: user)
            return Self.balanceSheetPage(sheet, csv: Self.api(federation, "reports/balance-sheet", [("at", "\(at)"), ("compare", "\(compare)")]))
        }
    }

    static func balanceSheetPage(_ b: BalanceSheet, csv: String) -> ReportPage {
        var table = PageTable(caption: "Balansräkning, kronor", labelHeading: "",
            numericColumns: [b.at.description] + (b.compare.map { [$0.description] } ?? []))
        func add(_ row: BalanceSheet.Row, kind: PageTable.Kind = .item) {
            table.append(row.label, [.kronor(row.at)] + (row.compare.map { [.kronor($0)] } ?? []), kind: kind)
        }
        table.heading("Tillgångar")
        b.assets.forEach { add($0) }
        add(b.totalAssets, kind: .total)
        table.heading("Eget kapital och skulder")
        b.equity.forEach { add($0) }
        add(b.totalEquity, kind: .subtotal)
        b.liabilities.forEach { add($0) }
        add(b.totalEquityAndLiabilities, kind: .total)
        return ReportPage(heading: "Balansräkning", subtitle: "per \(b.at)" + (b.compare.map { " jämfört med \($0)" } ?? ""),
            fields: [.init(name: "per", label: "Per datum", type: "date", value: "\(b.at)"),
                     .init(name: "jamfor", label: "Jämför med", type: "date", value: b.compare.map(\.description) ?? "", required: false)],
            csv: csv,
            warning: b.balances ? nil : "Tillgångarna och eget kapital och skulder skiljer \(PageNumber.kronor(b.difference.at, whole: false)) kr.",
            tables: [table],
            footnote: b.balances ? "Tillgångarna är lika med eget kapital och skulder." : nil)
    }

    // MARK: Cost distribution

    @Sendable func costDistribution(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await report(request, context: context) { query, federation, user in
            let (year, to) = try Self.yearAndEnd(query)
            let distribution = try await CostDistributionReport(database).make(for: federation.code, from: .firstDay(ofYear: year), to: to, by: user)
            return Self.costDistributionPage(distribution, year: year,
                csv: Self.api(federation, "reports/cost-distribution", [("year", "\(year)"), ("to", "\(to)")]))
        }
    }

    static func costDistributionPage(_ d: CostDistribution, year: Int, csv: String) -> ReportPage {
        var table = PageTable(caption: "Kostnader per kategori \(d.from)–\(d.to)", labelHeading: "Kategori", numericColumns: ["Belopp, kr", "Andel"])
        for row in d.rows {
            table.append(row.label, [.kronor(row.amount), .init(text: PageNumber.percent(tenths: row.shareTenthsOfPercent))])
        }
        table.append("Summa", [.kronor(d.total), .init(text: PageNumber.percent(tenths: d.rows.reduce(0) { $0 + $1.shareTenthsOfPercent }))], kind: .total)
        let groups = d.rows.map { BarChart.Group(label: $0.label, values: [$0.amount], note: PageNumber.percent(tenths: $0.shareTenthsOfPercent)) }
        let title = "Kostnadernas fördelning per kategori \(d.from)–\(d.to)"
        return ReportPage(heading: "Kostnadsfördelning \(year)", subtitle: "\(d.from)–\(d.to)",
            fields: yearFields(year, to: d.to), csv: csv,
            charts: d.total == .zero ? [] : [(BarChart(id: "chart-categories", title: title, series: ["Kostnad"], groups: groups).svg, title)],
            tables: [table])
    }

    // MARK: Decisions and commitments

    @Sendable func decisionTable(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await report(request, context: context) { query, federation, user in
            let interventions = try await Interventions(database).list(of: federation.code, by: user).filter { $0.funding != nil }
            let today = CalendarDate.today
            let halfYear = try query.halfYear("halvar") ?? HalfYear(year: today.year, half: today.month <= 6 ? 1 : 2)!
            guard let intervention = query.string("insats") ?? interventions.first?.code else {
                return ReportPage(heading: "Beslutstabell", empty: "Förbundet har inga insatser med finansieringsbeslut.")
            }
            let table = try await DecisionReports(database).table(in: federation.code, intervention: intervention, halfYear: halfYear, by: user)
            var page = Self.decisionTablePage(table,
                csv: Self.api(federation, "reports/decision-table", [("intervention", intervention), ("halfYear", "\(halfYear)")]))
            page.fields = [
                .init(name: "insats", label: "Insats", value: intervention, options: interventions.map { ($0.code, $0.name) }),
                .init(name: "halvar", label: "Halvår (t.ex. 2026H2)", value: "\(halfYear)"),
            ]
            return page
        }
    }

    static func decisionTablePage(_ t: DecisionTable, csv: String) -> ReportPage {
        var table = PageTable(caption: "Beslut \(t.interventionName) \(t.halfYear)", labelHeading: "Medlem",
            numericColumns: t.model == .fteRate ? ["Omfattning av tjänst", "Antal coacher", "Utbetalning, kr"] : ["Beslutat belopp, kr", "Utbetalning, kr"])
        func kronor(_ whole: Int64) -> PageTable.Cell { .init(text: PageNumber.integer(whole), negative: whole < 0) }
        for column in t.columns {
            let terms: [PageTable.Cell] = t.model == .fteRate
                ? [.init(text: column.fte?.swedish ?? ""), .init(text: column.heads.map(String.init) ?? "")]
                : [column.sum.map { .kronor($0) } ?? .init(text: "")]
            table.append(column.name, terms + [kronor(column.amountKronor)])
        }
        let totals: [PageTable.Cell] = t.model == .fteRate
            ? [.init(text: t.totalFTE?.swedish ?? ""), .init(text: t.totalHeads.map(String.init) ?? "")]
            : [t.totalSum.map { .kronor($0) } ?? .init(text: "")]
        table.append("Summa", totals + [kronor(t.totalKronor)], kind: .total)
        return ReportPage(heading: "Beslutstabell \(t.interventionName)", subtitle: "\(t.halfYear)", csv: csv,
            tables: t.columns.isEmpty ? [] : [table], empty: t.columns.isEmpty ? "Inga beslut för insatsen under \(t.halfYear)." : nil)
    }

    @Sendable func commitments(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await report(request, context: context) { query, federation, user in
            let year = try query.year("ar") ?? CalendarDate.today.year
            let report = try await DecisionReports(database).commitments(in: federation.code, year: year, by: user)
            var table = PageTable(caption: "Åtaganden per insats \(year), kronor", labelHeading: "Insats",
                numericColumns: ["Budget", "Beslutat", "Attesterat", "Utbetalt", "Kvar av budget"])
            for line in report.lines + [report.total] {
                table.append(line.name,
                    [line.budget, line.decided, line.approved, line.paid, line.remaining].map { .kronor($0) },
                    kind: line.intervention.isEmpty ? .total : .item)
            }
            return ReportPage(heading: "Åtaganden \(year)", subtitle: "budget, beslut, attest och utbetalning per insats",
                fields: Self.yearFields(year, to: nil), csv: Self.api(federation, "reports/commitments", [("year", "\(year)")]),
                tables: [table])
        }
    }

    // MARK: Members' accounts

    @Sendable func contributions(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await report(request, context: context) { query, federation, user in
            let year = try query.year("ar") ?? CalendarDate.today.year
            let report = try await MemberAccounts(database).contributions(in: federation.code, year: year, by: user)
            var table = PageTable(caption: "Medlemsbidrag \(year) per medlem, kronor", labelHeading: "Medlem",
                numericColumns: ["Planerat", "Fakturerat", "Krediterat", "Betalt", "Att betala"])
            for row in report.rows {
                table.append(row.memberName, [row.planned, row.invoiced, row.credited, row.paid, row.owed].map { .kronor($0, whole: false) },
                    link: "/f/\(federation.code)/medlemmar/\(row.member)/kontoutdrag")
            }
            let t = report.total
            table.append("Summa", [t.planned, t.invoiced, t.credited, t.paid, t.owed].map { .kronor($0, whole: false) }, kind: .total)
            return ReportPage(heading: "Medlemsbidrag \(year)", fields: Self.yearFields(year, to: nil),
                csv: Self.api(federation, "reports/contributions", [("year", "\(year)")]), tables: [table])
        }
    }

    @Sendable func openItems(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await report(request, context: context) { query, federation, user in
            let at = try query.date("per") ?? .today
            let items = try await Payments(database).openItems(in: federation.code, at: at, by: user)
            var table = PageTable(caption: "Obetalda, delvis betalda och överbetalda fakturor per \(at)", labelHeading: "Faktura", columns: [
                ("Medlem", false), ("Avser", false), ("Förfaller", false), ("Belopp, kr", true), ("Betalt, kr", true),
                ("Kvar, kr", true), ("Status", false), ("Dagar sen", true),
            ])
            for item in items {
                table.append("\(item.year)-\(item.number)", [
                    .text(item.memberName), .text(item.period), .text("\(item.dueDate)"), .kronor(item.total, whole: false),
                    .kronor(item.paid, whole: false), .kronor(item.remaining, whole: false), .text(item.status.swedishName.capitalizedFirst),
                    .init(text: item.daysOverdue > 0 ? "\(item.daysOverdue)" : ""),
                ], link: "/f/\(federation.code)/fakturor/\(item.year)-\(item.number)")
            }
            table.append("Summa", [.text(""), .text(""), .text(""), .text(""), .text(""),
                .kronor(try items.sum(\.remaining), whole: false), .text(""), .text("")], kind: .total)
            return ReportPage(heading: "Kundreskontra", subtitle: "öppna poster per \(at)",
                fields: [.init(name: "per", label: "Per datum", type: "date", value: "\(at)")],
                csv: Self.api(federation, "reports/open-items", [("at", "\(at)")]),
                tables: items.isEmpty ? [] : [table], empty: items.isEmpty ? "Alla fakturor är betalda." : nil)
        }
    }

    @Sendable func memberStatement(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await report(request, context: context) { _, federation, user in
            let member = try context.parameters.require("member")
            let statement = try await MemberAccounts(database).statement(of: member, in: federation.code, by: user)
            var table = PageTable(caption: "Fakturor, krediteringar och inbetalningar", labelHeading: "Datum", columns: [
                ("Verifikat", false), ("Text", false), ("Belopp, kr", true), ("Saldo, kr", true),
            ])
            for entry in statement.entries {
                table.append("\(entry.date)", [.text(entry.reference), .text(entry.text), .kronor(entry.amount, whole: false),
                    .kronor(entry.balance, whole: false)])
            }
            table.append("Att betala", [.text(""), .text(""), .text(""), .kronor(statement.balance, whole: false)], kind: .total)
            return ReportPage(heading: "Kontoutdrag \(statement.memberName)",
                csv: "/api/v1/federations/\(federation.code)/members/\(member)/statement?format=csv",
                tables: [table], footnote: statement.balance < .zero ? "Ett negativt saldo är ett tillgodohavande för medlemmen." : nil)
        }
    }

    // MARK: Reconciliation

    /// The books against the documents at a date (today without one), each check with both totals, and where they
    /// differ, the vouchers and documents that do; and what last night's run found.
    @Sendable func reconciliation(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await report(request, context: context) { query, federation, user in
            let at = try query.date("per") ?? .today
            let report = try await Reconciliation(database).check(federation.code, at: at, by: user)
            let night = try await NightlyResults(database).latest(in: federation.code, by: user)
            var checks = PageTable(caption: "Kontroller per \(at)", labelHeading: "Kontroll", columns: [
                ("Bokföringen, kr", true), ("Underlagen, kr", true), ("Skillnad, kr", true), ("Stämmer", false),
            ])
            var differences = PageTable(caption: "Skillnader", labelHeading: "Kontroll", columns: [
                ("Verifikation", false), ("Datum", false), ("Underlag", false), ("Bokföringen, kr", true), ("Underlagen, kr", true),
            ])
            for check in report.checks {
                checks.append(check.kind.swedishName, [.kronor(check.ledger, whole: false), .kronor(check.documents, whole: false),
                    // Two amounts within the limit can differ by more than it: then the difference is said, not shown.
                    (try? check.difference).map { .kronor($0, whole: false) } ?? .text("utanför gränsen"), .text(check.agrees ? "ja" : "nej")])
                for difference in check.differences {
                    differences.append(check.kind.swedishName, [
                        .text(difference.voucher?.description ?? ""), .text(difference.date.map(\.description) ?? ""),
                        .text(difference.document), .kronor(difference.ledger, whole: false), .kronor(difference.documents, whole: false),
                    ])
                }
            }
            let nightText = night.map { night in
                "Nattens körning \(night.date): " + (night.failure.map { "avstämningen kunde inte göras (\($0))." }
                    ?? (night.agrees ? "allt stämde." : Self.checkNames(night.differing) + " stämde inte."))
            } ?? "Ingen nattlig körning har sparat något resultat än."
            return ReportPage(heading: "Avstämning", subtitle: "bokföringen mot fakturor, betalningar, utbetalningar och banken per \(at)",
                fields: [.init(name: "per", label: "Per datum", type: "date", value: "\(at)")],
                warning: report.agrees ? nil : "Bokföringen och underlagen stämmer inte: se skillnaderna nedan.",
                tables: [checks] + (differences.rows.isEmpty ? [] : [differences]), footnote: nightText)
        }
    }

    /// The checks that did not agree, as a sentence names them: `kundfordringar mot kundreskontran, …`.
    static func checkNames(_ kinds: [ReconciliationCheck.Kind]) -> String {
        kinds.map { $0.swedishName.lowercasedFirst }.joined(separator: ", ")
    }

    // MARK: Audit trail

    static let auditLimit = 500

    @Sendable func auditTrail(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try await report(request, context: context) { query, federation, user in
            let since = try query.date("fran")
            let actor = query.string("person")
            let records = try await AuditTrail(database).list(in: federation.code, since: since, actor: actor, by: user)
            let shown = records.suffix(Self.auditLimit).reversed()
            var table = PageTable(caption: "Händelser, senaste först", labelHeading: "Nr", columns: [
                ("Tid", false), ("Vem", false), ("Vad", false), ("Ändrade rader", true), ("Begäran", false),
            ])
            for record in shown {
                let what = UseCase(rawValue: record.useCase)?.swedishName.capitalizedFirst ?? record.useCase
                table.append("\(record.sequence)", [.text(DirectorPages.moment(record.at)), .text(record.actor), .text(what),
                    .init(text: PageNumber.integer(Int64(record.subjectCount))), .text(record.request ?? "")])
            }
            return ReportPage(heading: "Händelselogg",
                subtitle: records.count > Self.auditLimit ? "de senaste \(Self.auditLimit) av \(PageNumber.integer(Int64(records.count)))" : nil,
                fields: [.init(name: "fran", label: "Från och med", type: "date", value: since.map(\.description) ?? "", required: false),
                         .init(name: "person", label: "Person (kod)", value: actor ?? "", required: false)],
                csv: Self.api(federation, "audit", [("since", since.map(\.description)), ("actor", actor)]),
                tables: records.isEmpty ? [] : [table], empty: records.isEmpty ? "Inga händelser." : nil)
        }
    }
}
