import FinsamCore

/// A camt.053/054 document: a CamtDocument or a FileError (XML of any shape, namespaces, entities).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCamt(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? CamtParser.parse(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
