import FinsamCore

/// A SIE file as any program might write it: the reader returns a file or a FileError, and nothing else happens
/// (no trap, no hang); what it returns can be summed and written again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSIE(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let file = try? SIEParser.parse(Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    for voucher in file.vouchers {
        let draft = VoucherDraft(date: voucher.date, series: voucher.series, text: voucher.text,
            lines: voucher.lines.map { .init(account: $0.account, amount: $0.amount) })
        _ = try? draft.validate()
    }
    _ = try? file.openingBalances.map(\.amount).sum()
    return 0
}
