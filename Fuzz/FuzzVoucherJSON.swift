import FinsamCore
import Foundation

/// A voucher as JSON (finsam voucher post --file), read the way the CLI reads it: decoded and validated, or a
/// FileError that says where.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVoucherJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let draft = try? JSONInput.decode(VoucherDraft.self, from: Data(bytes: data, count: size)) else { return 0 }
    _ = try? draft.validate()
    return 0
}
