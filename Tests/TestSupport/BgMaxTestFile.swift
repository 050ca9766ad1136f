/// A BgMax file written field by field after Bankgirot's layout, for tests that need payments the example file
/// does not have (references to this test's own invoices). Independent of the parser it feeds.
public struct BgMaxTestFile: Sendable {
    public struct Payment: Sendable {
        public var reference: String
        public var öre: Int64
        public var referenceCode: Int
        public var extraReferences: [String]
        public var payerIdentity: String?
        public var payerName: String?
        public var isDeduction: Bool

        public init(reference: String = "", öre: Int64, referenceCode: Int = 2, extraReferences: [String] = [],
            payerIdentity: String? = nil, payerName: String? = nil, isDeduction: Bool = false)
        {
            self.reference = reference
            self.öre = öre
            self.referenceCode = referenceCode
            self.extraReferences = extraReferences
            self.payerIdentity = payerIdentity
            self.payerName = payerName
            self.isDeduction = isDeduction
        }
    }

    public struct Deposit: Sendable {
        public var bankgiro: String
        public var date: String  // YYYYMMDD
        public var serial: Int
        public var payments: [Payment]

        public init(bankgiro: String, date: String, serial: Int, payments: [Payment]) {
            self.bankgiro = bankgiro
            self.date = date
            self.serial = serial
            self.payments = payments
        }
    }

    public var writtenAt = "20240205060000000000"
    public var isTest = false
    public var deposits: [Deposit]

    public init(deposits: [Deposit]) { self.deposits = deposits }

    public var bytes: [UInt8] {
        var lines = ["01" + pad("BGMAX", 20) + "01" + writtenAt + (isTest ? "T" : "P")]
        var counts = (payments: 0, deductions: 0, extra: 0)
        var serial = 0
        for deposit in deposits {
            lines.append("05" + zeros(deposit.bankgiro, 10) + zeros("", 10) + "SEK")
            var total: Int64 = 0
            for payment in deposit.payments {
                serial += 1
                let tail = String(payment.referenceCode) + "1" + zeros(String(serial), 12) + "0"
                let fields = zeros("", 10) + pad(payment.reference, 25) + zeros(String(payment.öre), 18) + tail
                lines.append((payment.isDeduction ? "21" : "20") + fields + (payment.isDeduction ? "0" : ""))
                // Wrapping: a test file may carry amounts made to overflow; its deposit total is then whatever the
                // 18 digits of the field hold (the reader refuses the payments before it gets there).
                if payment.isDeduction { counts.deductions += 1; total &-= payment.öre } else { counts.payments += 1; total &+= payment.öre }
                for extra in payment.extraReferences {
                    lines.append("22" + zeros("", 10) + pad(extra, 25) + zeros("0", 18) + tail)
                    counts.extra += 1
                }
                if let name = payment.payerName { lines.append("26" + name) }
                if let identity = payment.payerIdentity { lines.append("29" + zeros(identity, 12)) }
            }
            lines.append("15" + pad("", 35) + deposit.date + zeros(String(deposit.serial), 5)
                + zeros(String(total.magnitude % 1_000_000_000_000_000_000), 18) + "SEK"
                + zeros(String(deposit.payments.count), 8))
        }
        lines.append("70" + zeros(String(counts.payments), 8) + zeros(String(counts.deductions), 8) + zeros(String(counts.extra), 8)
            + zeros(String(deposits.count), 8))
        // ISO 8859-1, as Bankgirot writes it.
        return lines.joined(separator: "\r\n").unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } + [13, 10]
    }

    private func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
    private func zeros(_ digits: String, _ width: Int) -> String { String(repeating: "0", count: max(0, width - digits.count)) + digits }
}
