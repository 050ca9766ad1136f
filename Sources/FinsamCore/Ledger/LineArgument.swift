/// A voucher line as typed on the command line: `ACCOUNT:AMOUNT[:INTERVENTION[:MEMBER]]`, amount in kronor
/// with an optional decimal comma or point, positive for debit (`1930:1500,50`, `4020:-2000::aneby`).
public enum LineArgument {
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var argument: String
        public var reason: String
        public var description: String { "--line \(argument): \(reason)" }
    }

    public static func parse(_ argument: String) throws(Invalid) -> VoucherDraft.Line {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (2...4).contains(parts.count) else {
            throw Invalid(argument: argument, reason: "väntade KONTO:BELOPP[:INSATS[:MEDLEM]]")
        }
        guard let account = AccountNumber.parse(parts[0]) else {
            throw Invalid(argument: argument, reason: "\"\(parts[0])\" är inget kontonummer (\(AccountNumber.rule))")
        }
        guard let amount = Money(parsing: parts[1]) else {
            throw Invalid(argument: argument, reason: "\"\(parts[1])\" är inget belopp (t.ex. 1500 eller -1500,50; "
                + "högst \(SwedishNumberFormat.kronor(Money.limit)) kr)")
        }
        let intervention = parts.count > 2 && !parts[2].isEmpty ? parts[2] : nil
        let member = parts.count > 3 && !parts[3].isEmpty ? parts[3] : nil
        return VoucherDraft.Line(account: account, amount: amount, intervention: intervention, member: member)
    }
}
