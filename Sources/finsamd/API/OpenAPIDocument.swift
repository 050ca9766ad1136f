import Foundation
import Hummingbird
import NIOCore

/// The API's contract, OpenAPI 3.1, written by hand beside the routes (`openapi.json`) and served at
/// `/api/v1/openapi.json`. Written rather than generated: the routes call the same service types the CLI prints,
/// and swift-openapi-generator's build plugin would add minutes to every clean build for types we would only
/// convert; `APIContractTests` holds the two together instead (every route documented, every documented route
/// answering as documented), and schemathesis checks the answers against the schemas.
enum OpenAPIDocument {
    static let bytes: [UInt8] = PackageResources.openapi_json

    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
