import Databricks
import Testing

@Suite struct DatabricksErrorTests {
    func map(_ status: Int, _ body: String, path: String = "/api/2.1/unity-catalog/catalogs/x") -> DatabricksError {
        DatabricksError.from(status: status, body: Array(body.utf8), method: "GET", path: path)
    }

    @Test func errorCodeWinsOverStatus() {
        #expect(map(400, #"{"error_code":"INVALID_PARAMETER_VALUE","message":"bad"}"#).kind == .invalidParameter)
        #expect(map(409, #"{"error_code":"RESOURCE_ALREADY_EXISTS","message":"m"}"#).kind == .alreadyExists)
        #expect(map(409, #"{"error_code":"CATALOG_ALREADY_EXISTS","message":"m"}"#).kind == .alreadyExists)
        #expect(map(404, #"{"error_code":"CATALOG_DOES_NOT_EXIST","message":"m"}"#).kind == .notFound)
        #expect(map(429, #"{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"m"}"#).kind == .rateLimited)
        #expect(map(400, #"{"error_code":"INVALID_STATE","message":"m"}"#).kind == .invalidState)
    }

    @Test func statusDecidesOtherwise() {
        #expect(map(401, #"{"error_code":"X","message":"m"}"#).kind == .unauthenticated)
        #expect(map(403, "").kind == .permissionDenied)
        #expect(map(409, #"{"error_code":"SOMETHING","message":"m"}"#).kind == .conflict)
        #expect(map(503, "").kind == .unavailable)
        #expect(map(500, "<html>oops</html>").kind == .internalError)
        #expect(map(504, "").kind == .deadlineExceeded)
        #expect(map(418, "").kind == .unknown)
    }

    @Test func missingJobIsNotFound() {
        let error = map(
            400, #"{"error_code":"INVALID_PARAMETER_VALUE","message":"Job 42 does not exist."}"#,
            path: "/api/2.2/jobs/get")
        #expect(error.kind == .notFound)
        #expect(error.errorCode == "INVALID_PARAMETER_VALUE")
    }

    @Test func carriesWhatFailed() {
        let error = map(404, #"{"error_code":"CATALOG_DOES_NOT_EXIST","message":"Catalog 'x' does not exist."}"#)
        #expect(error.status == 404)
        #expect(error.method == "GET")
        #expect(error.path == "/api/2.1/unity-catalog/catalogs/x")
        #expect(error.message == "Catalog 'x' does not exist.")
        #expect(
            error.description
                == "GET /api/2.1/unity-catalog/catalogs/x: notFound (HTTP 404 CATALOG_DOES_NOT_EXIST): Catalog 'x' does not exist."
        )
    }

    @Test func legacyBodies() {
        #expect(map(400, #"{"error":"legacy text"}"#).message == "legacy text")
        let text = map(400, "INVALID_PARAMETER_VALUE: plain text")
        #expect(text.errorCode == "INVALID_PARAMETER_VALUE")
        #expect(text.kind == .invalidParameter)
        #expect(text.message == "plain text")
    }
}
