import FinsamCore

/// The demo: three samordningsförbund of the invented county of Älvmark, with a closed year (2025) and a year in
/// progress (2026, booked through October), so that a new user sees every report with real-looking figures.
/// Names, organisation numbers (apart from Försäkringskassan's and Arbetsförmedlingen's own) and amounts are
/// invented. Everything here is plain data and arithmetic; `DemoData` writes it.
///
/// What the books show, per federation and year:
/// - opening balances (2025 only: later years carry forward by themselves);
/// - member contributions split as the law says (FK 50 %, the region 25 %, the municipalities 25 % by
///   population, exact to the krona by largest remainder), saved as the year's contribution plan, invoiced by
///   quarterly invoice runs on each member's schedule and paid 30 days later, so the receivables at the end of
///   October are open;
/// - Supported Employment coaches per municipality (FTE × rate per half-year, paid at the start of each half);
///   a monthly purchased intervention; a structural one per quarter;
/// - the office: salaries with tax and employer's fees settled the month after, board fees, audit, the economy
///   office's accounting service, training, other administration; interest on the bank account;
/// - the shared director: Norra Älvmark employs her and invoices Mellersta Älvmark 35 % of the cost each
///   quarter (DOMAIN.md, Several federations together), each side in its own ledger;
/// - the county-wide IT education, run by Södra Älvmark and financed by a fixed sum per party per year.
enum DemoCounty {
    struct FederationInfo {
        var code: String
        var name: String
        var orgnr: String
        var seat: String
        var bankgiro: String
    }

    struct Municipality {
        var code: String
        var name: String
        var orgnr: String
        /// Population at 1 November of the year before, per contribution year.
        var population: [Int: Int]
        /// Contribution invoices per year: 1 (January) or 2 (January and July).
        var invoicesPerYear: Int
        /// Supported Employment coaches placed here: funded FTE and head count.
        var coachFTEHundredths: Int
        var coaches: Int
    }

    struct Office {
        /// Monthly gross salary of the office's staff (kronor); zero when the federation has no own staff.
        var monthlySalary: Int64
        var boardFeesPerQuarter: Int64
        var auditPerYear: Int64
        var accountingPerMonth: Int64
        var trainingPerYear: Int64
        var otherPerMonth: Int64
    }

    struct FederationPlan {
        var info: FederationInfo
        var municipalities: [Municipality]
        /// The contribution total per year (kronor).
        var contributions: [Int: Int64]
        var openingBank: Int64
        /// A monthly purchased individual intervention.
        var purchased: (code: String, name: String, perMonth: Int64)
        /// A structural intervention, cost per quarter.
        var structural: (code: String, name: String, perQuarter: Int64)
        var office: Office
        var interestPerQuarter: Int64
        /// The last month of the purchased intervention, when the board ended it.
        var purchasedEnds: (year: Int, month: Int)? = nil

        /// The months of `year` the purchased intervention runs.
        func purchasedMonths(in year: Int) -> [Int] {
            guard let end = purchasedEnds, end.year <= year else { return Array(1...12) }
            return end.year == year ? Array(1...end.month) : []
        }
    }

    static let years = [2025, 2026]
    /// The last day booked: the demo shows 2026 as an interim report at the end of October.
    static let bookedThrough = CalendarDate(year: 2026, month: 10, day: 31)!
    /// Supported Employment rate per FTE and half-year (kronor).
    static let coachRate: [Int: Int64] = [2025: 240_000, 2026: 246_000]
    /// Social fees (arbetsgivaravgifter) in hundredths of a percent, and preliminary tax withheld.
    static let socialFeeBasisPoints: Int64 = 3142
    static let taxBasisPoints: Int64 = 3000
    /// The shared director: Norra Älvmark's share and Mellersta Älvmark's, in percent (sum 100).
    static let sharedDirectorEmployer = "norralv"
    static let sharedDirectorPartner = "mellanalv"
    static let sharedDirectorPartnerPercent: Int64 = 35
    /// The county-wide intervention: run by one federation, a fixed sum per party and year.
    static let countyIntervention = (code: "it-autism", name: "IT-utbildning för unga vuxna med autism (länsinsats)")
    static let countyHost = "sodraalv"
    static let countyShare: Int64 = 150_000
    static let countyProviderPerMonth: Int64 = 50_000

    /// `Ankeby kommun, Fakturor, Box 100, 851 04 Ankeby`: the postcode from the orgnr's last digits (invented).
    static func invoiceAddress(of municipality: Municipality) -> String {
        let name = municipality.name
        let town = name.hasSuffix(" kommun") ? String(name.dropLast(" kommun".count)) : name
        return "\(municipality.name), Fakturor, Box 100, 851 \(municipality.orgnr.suffix(2)) \(town)"
    }

    static let fk = MemberDetails(
        code: "fk", kind: .fk, name: "Försäkringskassan", orgnr: "202100-5521", peppolId: "0007:2021005521",
        invoiceAddress: "Försäkringskassan, Fakturaskanning, Box 1164, 621 22 Visby", buyerReference: "SAMFINS")
    static let af = MemberDetails(
        code: "af", kind: .af, name: "Arbetsförmedlingen", orgnr: "202100-2114", peppolId: "0007:2021002114",
        invoiceAddress: "Arbetsförmedlingen, Box 1183, 621 22 Visby", buyerReference: "SAMFINS")
    static let region = MemberDetails(
        code: "region", kind: .region, name: "Region Älvmark", orgnr: "232100-0990", peppolId: "0007:2321000990",
        invoiceAddress: "Region Älvmark, Fakturor, Box 100, 851 00 Älvstad", buyerReference: "4410")

    static let plans: [FederationPlan] = [
        FederationPlan(
            info: FederationInfo(code: "norralv", name: "Samordningsförbundet Norra Älvmark", orgnr: "222000-0141", seat: "Dalby", bankgiro: "851-0018"),
            municipalities: [
                Municipality(code: "ankeby", name: "Ankeby kommun", orgnr: "212000-0704",
                    population: [2025: 6_915, 2026: 6_871], invoicesPerYear: 1, coachFTEHundredths: 100, coaches: 1),
                Municipality(code: "bergby", name: "Bergby kommun", orgnr: "212000-0712",
                    population: [2025: 14_230, 2026: 14_302], invoicesPerYear: 2, coachFTEHundredths: 250, coaches: 3),
                Municipality(code: "dalby", name: "Dalby kommun", orgnr: "212000-0720",
                    population: [2025: 31_480, 2026: 31_655], invoicesPerYear: 2, coachFTEHundredths: 400, coaches: 5),
            ],
            contributions: [2025: 8_036_000, 2026: 8_200_000], openingBank: 2_900_000,
            purchased: ("unga-vuxna", "Unga vuxna i arbete", 210_000),
            structural: ("samverkan", "Kompetensutveckling i samverkan", 150_000),
            office: Office(monthlySalary: 62_000, boardFeesPerQuarter: 18_000, auditPerYear: 48_000,
                accountingPerMonth: 12_500, trainingPerYear: 22_000, otherPerMonth: 9_800),
            // Budget 2026 (adopted in November 2025): Supported Employment for young adults (DemoFunding) takes over
            // the young adults of the purchased "Unga vuxna i arbete", which ends in June; the new interventions are
            // paid partly from equity, which at 3 000 000 kr stood well above what a federation of this size keeps.
            interestPerQuarter: 2_150, purchasedEnds: (2026, 6)),
        FederationPlan(
            info: FederationInfo(code: "mellanalv", name: "Samordningsförbundet Mellersta Älvmark", orgnr: "222000-0158", seat: "Fjällby", bankgiro: "851-0026"),
            municipalities: [
                Municipality(code: "ekeby", name: "Ekeby kommun", orgnr: "212000-0738",
                    population: [2025: 9_870, 2026: 9_812], invoicesPerYear: 2, coachFTEHundredths: 200, coaches: 2),
                Municipality(code: "fjallby", name: "Fjällby kommun", orgnr: "212000-0746",
                    population: [2025: 22_140, 2026: 22_388], invoicesPerYear: 2, coachFTEHundredths: 350, coaches: 4),
            ],
            contributions: [2025: 5_400_000, 2026: 5_500_000], openingBank: 1_900_000,
            purchased: ("arbetstraning", "Arbetsträning Mellersta Älvmark", 125_000),
            structural: ("psykisk-halsa", "Samverkan psykisk hälsa", 110_000),
            office: Office(monthlySalary: 0, boardFeesPerQuarter: 14_000, auditPerYear: 42_000,
                accountingPerMonth: 10_500, trainingPerYear: 15_000, otherPerMonth: 6_200),
            interestPerQuarter: 1_320),
        FederationPlan(
            info: FederationInfo(code: "sodraalv", name: "Samordningsförbundet Södra Älvmark", orgnr: "222000-0166", seat: "Granby", bankgiro: "851-0034"),
            municipalities: [
                Municipality(code: "granby", name: "Granby kommun", orgnr: "212000-0753",
                    population: [2025: 48_310, 2026: 48_702], invoicesPerYear: 2, coachFTEHundredths: 600, coaches: 7),
                Municipality(code: "holmby", name: "Holmby kommun", orgnr: "212000-0761",
                    population: [2025: 12_055, 2026: 12_010], invoicesPerYear: 2, coachFTEHundredths: 200, coaches: 2),
                Municipality(code: "idsjo", name: "Idsjö kommun", orgnr: "212000-0779",
                    population: [2025: 7_421, 2026: 7_388], invoicesPerYear: 1, coachFTEHundredths: 150, coaches: 2),
            ],
            contributions: [2025: 10_400_000, 2026: 10_600_000], openingBank: 3_800_000,
            purchased: ("steget", "Steget – förrehabilitering", 280_000),
            structural: ("kartlaggning", "Gemensam kartläggning av målgruppen", 200_000),
            office: Office(monthlySalary: 58_000, boardFeesPerQuarter: 21_000, auditPerYear: 52_000,
                accountingPerMonth: 14_500, trainingPerYear: 28_000, otherPerMonth: 11_400),
            interestPerQuarter: 3_480),
    ]

    static func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }
    static func kr(_ amount: Int64) -> Money { Money(kronor: amount) }
    /// `amount × basisPoints / 10 000`, rounded half away from zero to whole kronor (amounts are positive).
    static func percentOf(_ amount: Int64, basisPoints: Int64) -> Int64 { (amount * basisPoints + 5_000) / 10_000 }

    /// The yearly contributions per member code, exact to the krona (DOMAIN.md, Member contributions).
    static func contributionSplit(_ plan: FederationPlan, year: Int) -> [(member: String, amount: Int64)] {
        // The demo's figures are valid by construction: a split that fails is a bug in this file.
        let parts = try! ContributionSplit.split(
            total: plan.contributions[year]!, shares: .law, state: "fk", regions: [.init(member: "region", weight: 1)],
            regionsKeyed: false,
            municipalities: plan.municipalities.map { .init(member: $0.code, weight: Int64($0.population[year]!)) },
            municipalitiesKeyed: false)
        return parts.map { ($0.member, $0.kronor) }
    }

    /// The intervention codes every federation has besides its own two.
    static func interventions(of plan: FederationPlan) -> [Intervention] {
        [
            Intervention(code: "se-coacher", name: "Supported Employment-coacher", category: .individual, activeFrom: date(2024, 1, 1)),
            Intervention(code: plan.purchased.code, name: plan.purchased.name, category: .individual, activeFrom: date(2024, 1, 1)),
            Intervention(code: plan.structural.code, name: plan.structural.name, category: .structural, activeFrom: date(2025, 1, 1)),
            Intervention(code: countyIntervention.code, name: countyIntervention.name, category: .individual,
                activeFrom: date(2025, 1, 1)),
        ]
    }

    /// Every voucher of the county, per federation code, in date order.
    static func vouchers() -> [String: [VoucherDraft]] {
        var books = DemoBooks()
        for plan in plans {
            let code = plan.info.code
            books.post(code, date(2025, 1, 1), "IB", "Ingående balanser 2025",
                [(1930, kr(plan.openingBank)), (2010, -kr(plan.openingBank))])
            for year in years {
                bookInterventions(plan, year: year, into: &books)
                bookOffice(plan, year: year, into: &books)
                for quarter in 1...4 {
                    books.post(code, date(year, quarter * 3, 28), "B", "Ränta bankkonto kvartal \(quarter)",
                        [(1930, kr(plan.interestPerQuarter)), (8310, -kr(plan.interestPerQuarter))])
                }
            }
        }
        for year in years {
            bookSharedDirector(year: year, into: &books)
            bookCountyIntervention(year: year, into: &books)
        }
        return books.vouchers(through: bookedThrough)
    }

    /// A member's payment of one installment of its contribution invoice.
    struct Payment {
        var date: CalendarDate
        var member: String
        var year: Int
        var installment: Int
        var kronor: Int64
    }

    /// The members' payments of their contribution invoices, 30 days after each invoice, through
    /// `bookedThrough` (the invoices themselves are issued by the demo's invoice runs, `invoiceRuns`).
    static func payments(of plan: FederationPlan) -> [Payment] {
        years.flatMap { year in
            contributionSplit(plan, year: year).flatMap { member, yearly in
                let schedule = self.schedule(of: member, in: plan)
                return schedule.split(yearly).enumerated().map { index, part in
                    Payment(date: date(year, schedule.month(ofInstallment: index + 1) + 1, 9), member: member, year: year,
                        installment: index + 1, kronor: part)
                }
            }
        }.filter { $0.date <= bookedThrough }.sorted { $0.date < $1.date }
    }

    /// FK is invoiced per half-year, the region per quarter, each municipality on its own schedule.
    static func schedule(of member: String, in plan: FederationPlan) -> InvoiceSchedule {
        switch member {
        case "fk": .halfYearly
        case "region": .quarterly
        // Arbetsförmedlingen pays through Försäkringskassan and has no share of its own to invoice.
        default: plan.municipalities.first { $0.code == member }.map { $0.invoicesPerYear == 2 ? .halfYearly : .yearly } ?? .yearly
        }
    }

    /// The invoice runs of the demo: one per quarter, on the 10th of its first month, through `bookedThrough`.
    static var invoiceRuns: [(date: CalendarDate, period: InvoicePeriod)] {
        years.flatMap { year in
            (1...4).map { quarter in (date(year, quarter * 3 - 2, 10), InvoicePeriod("\(year)Q\(quarter)")!) }
        }.filter { $0.date <= bookedThrough }
    }

    static func bookInterventions(_ plan: FederationPlan, year: Int, into books: inout DemoBooks) {
        let code = plan.info.code
        for half in 1...2 {
            for municipality in plan.municipalities {
                let amount = Int64(municipality.coachFTEHundredths) * coachRate[year]! / 100
                books.post(code, date(year, half == 1 ? 1 : 7, 25), "U",
                    "SE-coacher \(municipality.name) \(year)H\(half)", [
                        .init(account: 4020, amount: kr(amount), intervention: "se-coacher", member: municipality.code),
                        .init(account: 1930, amount: -kr(amount)),
                    ])
            }
        }
        for month in plan.purchasedMonths(in: year) {
            let amount = plan.purchased.perMonth
            books.post(code, date(year, month, 15), "L", "\(plan.purchased.name), faktura \(year)-\(month)", [
                .init(account: 4010, amount: kr(amount), intervention: plan.purchased.code),
                .init(account: 2440, amount: -kr(amount)),
            ])
            books.post(code, date(year, month, 27), "U", "Betalning \(plan.purchased.name) \(year)-\(month)",
                [(2440, kr(amount)), (1930, -kr(amount))])
        }
        for quarter in 1...4 {
            let amount = plan.structural.perQuarter
            books.post(code, date(year, quarter * 3 - 1, 20), "U", "\(plan.structural.name), kvartal \(quarter)", [
                .init(account: 4010, amount: kr(amount), intervention: plan.structural.code),
                .init(account: 1930, amount: -kr(amount)),
            ])
        }
    }

    static func bookOffice(_ plan: FederationPlan, year: Int, into books: inout DemoBooks) {
        let code = plan.info.code
        let office = plan.office
        for month in 1...12 {
            // Payroll on the 25th: gross on 5010 (staff) and, in the last month of a quarter, board fees on 5020;
            // employer's fees on 5410/5420; tax withheld to 2710 and fees to 2730 until the 12th of next month.
            var gross: [(account: Int, feeAccount: Int, amount: Int64)] = []
            if office.monthlySalary > 0 { gross.append((5010, 5410, office.monthlySalary)) }
            if month % 3 == 0 { gross.append((5020, 5420, office.boardFeesPerQuarter)) }
            let totalGross = gross.reduce(0) { $0 + $1.amount }
            let fees = gross.map { percentOf($0.amount, basisPoints: socialFeeBasisPoints) }
            let tax = percentOf(totalGross, basisPoints: taxBasisPoints)
            if totalGross > 0 {
                var lines: [(Int, Money)] = []
                for (index, item) in gross.enumerated() {
                    lines.append((item.account, kr(item.amount)))
                    lines.append((item.feeAccount, kr(fees[index])))
                }
                lines += [(2710, -kr(tax)), (2730, -kr(fees.reduce(0, +))), (1930, -kr(totalGross - tax))]
                books.post(code, date(year, month, 25), "A", "Löner och arvoden \(year)-\(month)", lines)
                let next = month == 12 ? date(year + 1, 1, 12) : date(year, month + 1, 12)
                books.post(code, next, "U", "Skatter och avgifter för \(year)-\(month)",
                    [(2710, kr(tax)), (2730, kr(fees.reduce(0, +))), (1630, -kr(tax + fees.reduce(0, +)))])
                books.post(code, next, "U", "Överföring till skattekontot", [(1630, kr(tax + fees.reduce(0, +))),
                    (1930, -kr(tax + fees.reduce(0, +)))])
            }
            books.post(code, date(year, month, 5), "L", "Ekonomitjänst regionala ekonomikontoret \(year)-\(month)",
                [(6420, kr(office.accountingPerMonth)), (2440, -kr(office.accountingPerMonth))])
            books.post(code, date(year, month, 28), "U", "Betalning ekonomitjänst \(year)-\(month)",
                [(2440, kr(office.accountingPerMonth)), (1930, -kr(office.accountingPerMonth))])
            books.post(code, date(year, month, 3), "U", "Lokalhyra och IT \(year)-\(month)",
                [(6990, kr(office.otherPerMonth)), (1930, -kr(office.otherPerMonth))])
        }
        books.post(code, date(year, 4, 14), "L", "Revision räkenskapsåret \(year - 1)",
            [(6410, kr(office.auditPerYear)), (2440, -kr(office.auditPerYear))])
        books.post(code, date(year, 5, 14), "U", "Betalning revision", [(2440, kr(office.auditPerYear)), (1930, -kr(office.auditPerYear))])
        books.post(code, date(year, 9, 18), "U", "Utbildningsdag styrelse och beredningsgrupp",
            [(6430, kr(office.trainingPerYear)), (1930, -kr(office.trainingPerYear))])
    }

    /// Norra Älvmark employs the director and invoices Mellersta Älvmark its 35 % each quarter.
    static func bookSharedDirector(year: Int, into books: inout DemoBooks) {
        let employer = plans.first { $0.info.code == sharedDirectorEmployer }!
        let salary = employer.office.monthlySalary * 3
        let fees = 3 * percentOf(employer.office.monthlySalary, basisPoints: socialFeeBasisPoints)
        let salaryShare = salary * sharedDirectorPartnerPercent / 100
        let feeShare = percentOf(fees, basisPoints: sharedDirectorPartnerPercent * 100)
        let total = salaryShare + feeShare
        for quarter in 1...4 {
            let invoiced = date(year, quarter * 3, 30)
            let paid = quarter == 4 ? date(year + 1, 1, 20) : date(year, quarter * 3 + 1, 29)
            let text = "Förbundschef \(sharedDirectorPartnerPercent) % kvartal \(quarter) \(year)"
            books.post(sharedDirectorEmployer, invoiced, "F", "\(text), till Mellersta Älvmark",
                [(1510, kr(total)), (5010, -kr(salaryShare)), (5410, -kr(feeShare))])
            books.post(sharedDirectorEmployer, paid, "I", "Inbetalning \(text.lowercased()) från Mellersta Älvmark",
                [(1930, kr(total)), (1510, -kr(total))])
            books.post(sharedDirectorPartner, invoiced, "L", "\(text), från Norra Älvmark",
                [(5010, kr(salaryShare)), (5410, kr(feeShare)), (2440, -kr(total))])
            books.post(sharedDirectorPartner, paid, "U", "Betalning \(text.lowercased()) till Norra Älvmark",
                [(2440, kr(total)), (1930, -kr(total))])
        }
    }

    /// Södra Älvmark runs the county-wide IT education; the other two federations and the region each pay
    /// a fixed sum per year, invoiced in March and paid in April. Each side books it in its own ledger.
    static func bookCountyIntervention(year: Int, into books: inout DemoBooks) {
        let code = countyIntervention.code
        for month in 1...12 {
            books.post(countyHost, date(year, month, 20), "U", "Utbildningsanordnare IT-utbildning \(year)-\(month)", [
                .init(account: 4010, amount: kr(countyProviderPerMonth), intervention: code),
                .init(account: 1930, amount: -kr(countyProviderPerMonth)),
            ])
        }
        for partner in plans.map(\.info) where partner.code != countyHost {
            books.post(countyHost, date(year, 3, 12), "F", "Länsinsats IT-utbildning \(year), \(partner.name)",
                [(1510, kr(countyShare)), (3090, -kr(countyShare))])
            books.post(countyHost, date(year, 4, 11), "I", "Inbetalning länsinsats IT-utbildning, \(partner.name)",
                [(1930, kr(countyShare)), (1510, -kr(countyShare))])
            books.post(partner.code, date(year, 3, 12), "L", "Länsinsats IT-utbildning \(year), andel",
                [.init(account: 4010, amount: kr(countyShare), intervention: code), .init(account: 2440, amount: -kr(countyShare))])
            books.post(partner.code, date(year, 4, 11), "U", "Betalning länsinsats IT-utbildning \(year)",
                [(2440, kr(countyShare)), (1930, -kr(countyShare))])
        }
        books.post(countyHost, date(year, 3, 12), "F", "Länsinsats IT-utbildning \(year), Region Älvmark", [
            .init(account: 1510, amount: kr(countyShare), member: "region"),
            .init(account: 3090, amount: -kr(countyShare)),
        ])
        books.post(countyHost, date(year, 4, 11), "I", "Inbetalning länsinsats IT-utbildning, Region Älvmark", [
            .init(account: 1930, amount: kr(countyShare), member: "region"),
            .init(account: 1510, amount: -kr(countyShare), member: "region"),
        ])
    }

    /// Budget per year and a full-year forecast for the year in progress, in the report's natural sign.
    static func budgets(of plan: FederationPlan) -> [BudgetLine] {
        var lines: [BudgetLine] = []
        for year in years {
            var budget: [BudgetLine] = []
            for (member, amount) in contributionSplit(plan, year: year) {
                let account = member == "fk" ? 3011 : member == "region" ? 3013 : 3014
                budget.append(BudgetLine(kind: .budget, year: year, account: account, member: member, amount: kr(amount)))
            }
            let coaches = plan.municipalities.reduce(Int64(0)) { $0 + Int64($1.coachFTEHundredths) } * coachRate[year]! * 2 / 100
            budget += [
                BudgetLine(kind: .budget, year: year, account: 8310, amount: kr(plan.interestPerQuarter * 4)),
                BudgetLine(kind: .budget, year: year, account: nil, intervention: "se-coacher", amount: kr(coaches)),
                BudgetLine(kind: .budget, year: year, account: nil, intervention: plan.purchased.code,
                    amount: kr(plan.purchased.perMonth * Int64(plan.purchasedMonths(in: year).count))),
                BudgetLine(kind: .budget, year: year, account: nil, intervention: plan.structural.code,
                    amount: kr(plan.structural.perQuarter * 4 + 20_000)),
                BudgetLine(kind: .budget, year: year, account: 4090, amount: kr(200_000)),
                BudgetLine(kind: .budget, year: year, account: 6410, amount: kr(plan.office.auditPerYear)),
                BudgetLine(kind: .budget, year: year, account: 6420, amount: kr(plan.office.accountingPerMonth * 12)),
                BudgetLine(kind: .budget, year: year, account: 6430, amount: kr(plan.office.trainingPerYear + 5_000)),
                BudgetLine(kind: .budget, year: year, account: 6990, amount: kr(plan.office.otherPerMonth * 12)),
                BudgetLine(kind: .budget, year: year, account: 5020, amount: kr(plan.office.boardFeesPerQuarter * 4)),
                BudgetLine(kind: .budget, year: year, account: 5420,
                    amount: kr(4 * percentOf(plan.office.boardFeesPerQuarter, basisPoints: socialFeeBasisPoints))),
            ]
            if plan.info.code == countyHost {
                budget += [
                    BudgetLine(kind: .budget, year: year, account: 3090, amount: kr(countyShare * 3)),
                    BudgetLine(kind: .budget, year: year, account: nil, intervention: countyIntervention.code,
                        amount: kr(countyProviderPerMonth * 12)),
                ]
            } else {
                budget.append(BudgetLine(kind: .budget, year: year, account: nil, intervention: countyIntervention.code,
                    amount: kr(countyShare)))
            }
            // Staff: the employer budgets the whole cost and the partner's share as a reduction; the partner
            // budgets its share.
            let salary = plan.office.monthlySalary * 12
            let fees = 12 * percentOf(plan.office.monthlySalary, basisPoints: socialFeeBasisPoints)
            let employer = plans.first { $0.info.code == sharedDirectorEmployer }!.office
            let partnerSalary = employer.monthlySalary * 12 * sharedDirectorPartnerPercent / 100
            let partnerFees = 4 * percentOf(3 * percentOf(employer.monthlySalary, basisPoints: socialFeeBasisPoints),
                basisPoints: sharedDirectorPartnerPercent * 100)
            switch plan.info.code {
            case sharedDirectorEmployer:
                budget += [BudgetLine(kind: .budget, year: year, account: 5010, amount: kr(salary - partnerSalary)),
                           BudgetLine(kind: .budget, year: year, account: 5410, amount: kr(fees - partnerFees))]
            case sharedDirectorPartner:
                budget += [BudgetLine(kind: .budget, year: year, account: 5010, amount: kr(partnerSalary)),
                           BudgetLine(kind: .budget, year: year, account: 5410, amount: kr(partnerFees))]
            default:
                budget += [BudgetLine(kind: .budget, year: year, account: 5010, amount: kr(salary)),
                           BudgetLine(kind: .budget, year: year, account: 5410, amount: kr(fees))]
            }
            lines += budget
            if year == bookedThrough.year {
                // The forecast in October: the reserve will not be used, the structural intervention ends
                // under budget, the interest is a little higher; everything else as budgeted.
                lines += budget.map { line in
                    var forecast = line
                    forecast.kind = .forecast
                    if line.account == 4090 { forecast.amount = .zero }
                    if line.intervention == plan.structural.code { forecast.amount = kr(plan.structural.perQuarter * 4) }
                    if line.account == 8310 { forecast.amount = kr(plan.interestPerQuarter * 4 + 1_500) }
                    return forecast
                }
            }
        }
        return lines
    }
}

/// Collects the demo's vouchers per federation, then hands them out in date order (so that numbers follow
/// the calendar within each series).
struct DemoBooks {
    private var drafts: [String: [VoucherDraft]] = [:]

    mutating func post(_ federation: String, _ date: CalendarDate, _ series: String, _ text: String, _ lines: [VoucherDraft.Line]) {
        drafts[federation, default: []].append(VoucherDraft(date: date, series: series, text: text, lines: lines))
    }

    mutating func post(_ federation: String, _ date: CalendarDate, _ series: String, _ text: String, _ lines: [(Int, Money)]) {
        post(federation, date, series, text, lines.map { VoucherDraft.Line(account: $0.0, amount: $0.1) })
    }

    func vouchers(through last: CalendarDate) -> [String: [VoucherDraft]] {
        drafts.mapValues { list in
            // A stable sort: vouchers of one day keep the order they were written in.
            list.enumerated().filter { $0.element.date <= last }
                .sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }
                .map(\.element)
        }
    }
}
