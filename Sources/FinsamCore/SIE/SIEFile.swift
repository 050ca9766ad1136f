/// The content of a SIE 4 file that bookkeeping needs: the company, its fiscal years, the chart of accounts,
/// dimensions and objects, opening and closing balances, results and vouchers. Other items are kept out.
public struct SIEFile: Sendable, Equatable {
    public struct Voucher: Sendable, Equatable {
        public var series: String
        public var number: String
        public var date: CalendarDate
        public var text: String
        public var lines: [Transaction]
        /// Line of `#VER` in the file.
        public var line: Int

        public init(series: String, number: String, date: CalendarDate, text: String, lines: [Transaction], line: Int) {
            self.series = series
            self.number = number
            self.date = date
            self.text = text
            self.lines = lines
            self.line = line
        }
    }

    public struct Transaction: Sendable, Equatable {
        public var account: Int
        /// Pairs of dimension number and object id from the object list.
        public var objects: [Object]
        public var amount: Money
        public var text: String?
        public var line: Int

        public init(account: Int, objects: [Object], amount: Money, text: String?, line: Int) {
            self.account = account
            self.objects = objects
            self.amount = amount
            self.text = text
            self.line = line
        }
    }

    public struct Object: Sendable, Equatable, Hashable {
        public var dimension: Int
        public var id: String

        public init(dimension: Int, id: String) {
            self.dimension = dimension
            self.id = id
        }
    }

    /// `#PBUDGET`: the budget of one account for one month (`period` YYYYMM), without objects, in the ledger's sign.
    public struct PeriodBudget: Sendable, Equatable {
        public var year: Int
        public var month: Int
        public var account: Int
        public var amount: Money
        public var line: Int

        public init(year: Int, month: Int, account: Int, amount: Money, line: Int) {
            self.year = year
            self.month = month
            self.account = account
            self.amount = amount
            self.line = line
        }
    }

    public struct Balance: Sendable, Equatable {
        /// 0 is this year, -1 the previous (the index of `#RAR`).
        public var yearIndex: Int
        public var account: Int
        public var amount: Money
        public var line: Int

        public init(yearIndex: Int, account: Int, amount: Money, line: Int) {
            self.yearIndex = yearIndex
            self.account = account
            self.amount = amount
            self.line = line
        }
    }

    public var program: String?
    public var companyName: String?
    public var organisationNumber: String?
    public var sieType: Int?
    /// `#RAR`: fiscal years by index (0 this year, -1 the previous).
    public var fiscalYears: [Int: ClosedRange<CalendarDate>] = [:]
    /// `#KONTO` in file order.
    public var accounts: [(number: Int, name: String)] = []
    /// `#KTYP`: what the file's program says an account is, `T` tillgång, `S` skuld (or equity), `I` intäkt,
    /// `K` kostnad; it decides over the number's class (SoftOne XE declares `#KTYP 3050 T`).
    public var accountTypes: [Int: Character] = [:]
    /// `#KONTO` and `#KTYP` items of account numbers Finsam's chart cannot hold (`DIFF`, `0351`), by number as
    /// written, with their line: harmless while no balance or voucher uses them.
    public var unusableAccounts: [String: Int] = [:]
    public var dimensions: [Int: String] = [:]
    public var objects: [Object: String] = [:]
    public var openingBalances: [Balance] = []
    public var closingBalances: [Balance] = []
    public var results: [Balance] = []
    public var vouchers: [Voucher] = []
    /// `#PBUDGET` items without objects (a budget per object would need the objects mapped first).
    public var budgets: [PeriodBudget] = []
    /// The value of the closing `#KSUMMA`, when the file has one.
    public var statedChecksum: UInt32?
    /// The checksum computed over the file's content (nil without `#KSUMMA`).
    public var computedChecksum: UInt32?

    public init() {}

    /// Whether `account` is a balance account (assets, equity, liabilities): by the file's `#KTYP` where it says,
    /// else by the number's class. Nil for a number outside the chart.
    public func isBalanceSheet(_ account: Int) -> Bool? {
        switch accountTypes[account] {
        case "T", "S": true
        case "I", "K": false
        default: AccountClass(accountNumber: account)?.isBalanceSheet
        }
    }

    public static func == (a: SIEFile, b: SIEFile) -> Bool {
        a.program == b.program && a.companyName == b.companyName && a.organisationNumber == b.organisationNumber
            && a.fiscalYears == b.fiscalYears && a.accounts.map(\.number) == b.accounts.map(\.number)
            && a.accounts.map(\.name) == b.accounts.map(\.name) && a.dimensions == b.dimensions
            && a.objects == b.objects && a.openingBalances == b.openingBalances
            && a.closingBalances == b.closingBalances && a.results == b.results && a.vouchers == b.vouchers
    }

    /// The name of an account as the file gives it.
    public func accountName(_ number: Int) -> String? { accounts.first { $0.number == number }?.name }
}
