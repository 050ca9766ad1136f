import FinsamCore

/// A BgMax file: a BgMaxFile or a FileError, and the totals of what was read can always be summed or refused.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBgMax(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let file = try? BgMaxParser.parse(Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    _ = try? file.deposits.map(\.amount).sum()
    return 0
}
