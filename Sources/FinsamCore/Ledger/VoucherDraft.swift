/// A voucher (verifikation) before it is posted: what a user, an invoice run or an import wants to book.
/// Accounts, interventions and members are named by number and code; the service resolves them.
public struct VoucherDraft: Sendable, Equatable, Codable {
    public struct Line: Sendable, Equatable, Codable {
        public var account: Int
        /// Positive is debit, negative is credit.
        public var amount: Money
        public var intervention: String?
        public var member: String?
        public var text: String?

        public init(account: Int, amount: Money, intervention: String? = nil, member: String? = nil, text: String? = nil) {
            self.account = account
            self.amount = amount
            self.intervention = intervention
            self.member = member
            self.text = text
        }
    }

    public var date: CalendarDate
    public var series: String
    public var text: String
    public var lines: [Line]

    public init(date: CalendarDate, series: String = "A", text: String, lines: [Line]) {
        self.date = date
        self.series = series
        self.text = text
        self.lines = lines
    }

    /// Why a draft cannot be posted, in the words a bookkeeper uses.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case tooFewLines(Int)
        case unbalanced(Money)
        case zeroAmount(line: Int)
        case emptyText
        case invalidSeries(String)
        case unknownAccountClass(line: Int, account: Int)
        case amountTooLarge(line: Int)
        case totalTooLarge
        case textNotPlain(PlainText.Problem)
        case lineTextNotPlain(line: Int, PlainText.Problem)

        public var description: String {
            switch self {
            case .tooFewLines(let count):
                "en verifikation behöver minst två rader (har \(count))"
            case .unbalanced(let difference):
                "verifikationen balanserar inte: raderna summerar till \(SwedishNumberFormat.kronor(difference)) kr"
            case .zeroAmount(let line):
                "rad \(line): beloppet är noll"
            case .emptyText:
                "verifikationen saknar text"
            case .invalidSeries(let series):
                "serien \"\(series)\" är ogiltig (1–10 tecken A–Z, 0–9)"
            case .amountTooLarge(let line):
                "rad \(line): beloppet är större än Finsam tillåter (högst \(SwedishNumberFormat.kronor(Money.limit)) kr)"
            case .textNotPlain(let problem):
                "verifikationens text \(problem)"
            case .lineTextNotPlain(let line, let problem):
                "rad \(line): texten \(problem)"
            case .totalTooLarge:
                "raderna blir tillsammans större än Finsam tillåter (högst \(SwedishNumberFormat.kronor(Money.limit)) kr)"
            case .unknownAccountClass(let line, let account):
                "rad \(line): konto \(account) ligger utanför kontoplanen (\(AccountNumber.rule))"
            }
        }
    }

    /// The rules of DOMAIN.md (The ledger) that need no database: at least two lines, none zero, sum zero.
    public func validate() throws(Problem) {
        guard !text.allSatisfy(\.isWhitespace) else { throw .emptyText }
        do { try PlainText.check(text, limit: PlainText.textLimit) } catch { throw .textNotPlain(error) }
        guard (1...10).contains(series.count),
            series.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "#") })
        else { throw .invalidSeries(series) }
        guard lines.count >= 2 else { throw .tooFewLines(lines.count) }
        for (index, line) in lines.enumerated() {
            guard AccountClass(accountNumber: line.account) != nil else {
                throw .unknownAccountClass(line: index + 1, account: line.account)
            }
            guard line.amount != .zero else { throw .zeroAmount(line: index + 1) }
            guard line.amount.isWithinLimit else { throw .amountTooLarge(line: index + 1) }
            if let text = line.text {
                do { try PlainText.check(text, limit: PlainText.textLimit) } catch { throw .lineTextNotPlain(line: index + 1, error) }
            }
        }
        // Debits and credits summed apart: a balanced voucher's sides each stay within the limit, where a running
        // sum of mixed signs could pass it and come back.
        guard let debit = try? lines.filter({ $0.amount > .zero }).sum(\.amount),
            let credit = try? lines.filter({ $0.amount < .zero }).sum(\.amount)
        else { throw .totalTooLarge }
        let total = try! debit + credit  // both within the limit, of opposite signs: their sum is too
        guard total == .zero else { throw .unbalanced(total) }
    }

    /// The draft that undoes this one: the same lines with opposite signs.
    public func reversal(on date: CalendarDate, text: String) -> VoucherDraft {
        VoucherDraft(
            date: date, series: series, text: text,
            lines: lines.map { Line(account: $0.account, amount: -$0.amount, intervention: $0.intervention,
                member: $0.member, text: $0.text) })
    }
}
