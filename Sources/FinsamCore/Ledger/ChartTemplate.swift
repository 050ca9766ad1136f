/// The chart of accounts a new federation starts with, in the Kommun-Bas style that municipal bodies use:
/// class 1 assets, 2 equity and liabilities, 3 revenue (one contribution account per member kind),
/// 4–7 costs (personnel in 5, as in Kommun-Bas), 8 financial items. Costs of interventions go on 4010/4020
/// with the intervention; administration accounts carry their income-statement line.
public enum ChartTemplate {
    public struct Account: Sendable, Equatable {
        public var number: Int
        public var name: String
        public var memberKind: MemberKind?
        public var costCategory: CostCategory?
        public var administrationLine: AdministrationLine?

        public init(
            number: Int, name: String, memberKind: MemberKind? = nil, costCategory: CostCategory? = nil,
            administrationLine: AdministrationLine? = nil
        ) {
            self.number = number
            self.name = name
            self.memberKind = memberKind
            self.costCategory = costCategory
            self.administrationLine = administrationLine
        }
    }

    public static let accounts: [Account] = [
        Account(number: 1510, name: "Kundfordringar"),
        Account(number: 1630, name: "Avräkning skattekonto"),
        Account(number: 1790, name: "Förutbetalda kostnader och upplupna intäkter"),
        Account(number: 1930, name: "Bank"),
        Account(number: 2010, name: "Eget kapital"),
        Account(number: 2091, name: "Balanserat resultat"),
        Account(number: 2440, name: "Leverantörsskulder"),
        Account(number: 2710, name: "Personalens källskatt"),
        Account(number: 2730, name: "Lagstadgade sociala avgifter"),
        Account(number: 2920, name: "Upplupna semesterlöner"),
        Account(number: 2990, name: "Övriga upplupna kostnader och förutbetalda intäkter"),
        Account(number: 3011, name: "Medlemsbidrag Försäkringskassan", memberKind: .fk),
        Account(number: 3012, name: "Medlemsbidrag Arbetsförmedlingen", memberKind: .af),
        Account(number: 3013, name: "Medlemsbidrag region", memberKind: .region),
        Account(number: 3014, name: "Medlemsbidrag kommuner", memberKind: .municipality),
        Account(number: 3090, name: "Övriga intäkter"),
        Account(number: 4010, name: "Köp av verksamhet, insatser"),
        Account(number: 4020, name: "Bidrag till insatser hos medlemmar"),
        Account(number: 4090, name: "Medel för nya verksamheter", costCategory: .reserve),
        Account(number: 5010, name: "Löner tjänstepersoner", costCategory: .administration, administrationLine: .staff),
        Account(number: 5020, name: "Arvoden styrelse", costCategory: .administration, administrationLine: .board),
        Account(number: 5410, name: "Sociala avgifter", costCategory: .administration, administrationLine: .staff),
        Account(number: 5420, name: "Sociala avgifter arvoden", costCategory: .administration, administrationLine: .board),
        Account(number: 6410, name: "Revision", costCategory: .administration, administrationLine: .audit),
        Account(number: 6420, name: "Ekonomihantering", costCategory: .administration, administrationLine: .accounting),
        Account(number: 6430, name: "Utbildning styrelse och beredningsgrupp", costCategory: .administration,
            administrationLine: .training),
        Account(number: 6990, name: "Övrig administration", costCategory: .administration, administrationLine: .other),
        Account(number: 8310, name: "Ränteintäkter"),
        Account(number: 8410, name: "Räntekostnader"),
    ]
}
