import Testing

@testable import finsamd

/// The token of an `Authorization` header: the scheme `Bearer` in any case (RFC 9110 §11.1), then the token, with
/// the blanks around it left out; anything else is no bearer token at all.
@Suite struct BearerTokenTests {
    @Test(arguments: [
        ("Bearer fst_abc", "fst_abc"),
        ("bearer fst_abc", "fst_abc"),
        ("BEARER fst_abc", "fst_abc"),
        ("BeArEr   fst_abc \t", "fst_abc"),
        ("Bearer fst_å", "fst_å"),
    ])
    func aBearerHeaderGivesItsToken(header: String, token: String) {
        #expect(SignedInMiddleware.bearer(authorization: header) == token)
    }

    @Test(arguments: ["Bearer", "Bearer ", "Bearer  \t", "Basic dXNlcjpwYXNz", "Bearerfst_abc", "Bearer\tfst_abc", "Bärer fst", "", "Bear fst_abc"])
    func anythingElseGivesNoToken(header: String) {
        #expect(SignedInMiddleware.bearer(authorization: header) == nil)
    }
}
