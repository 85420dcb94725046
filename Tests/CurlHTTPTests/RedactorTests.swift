import CurlHTTP
import Testing

@Suite struct RedactorTests {
    @Test func masksSensitiveHeaders() {
        let redactor = Redactor()
        #expect(redactor.header(name: "Authorization", value: "Bearer dapi123") == Redactor.mask)
        #expect(redactor.header(name: "proxy-authorization", value: "Basic abc") == Redactor.mask)
        #expect(redactor.header(name: "Accept", value: "application/json") == "application/json")
    }

    @Test func masksSecretMembersOfJSONBodies() {
        let redactor = Redactor()
        let body = #"{"access_token": "eyJ.abc", "token_type":"Bearer","client_secret":"s\"x","next_page_token":"p1"}"#
        let masked = redactor.text(body)
        #expect(!masked.contains("eyJ.abc"))
        #expect(!masked.contains(#"s\"x"#))
        #expect(masked.contains(#""next_page_token":"p1""#))
        #expect(masked.contains(#""token_type":"Bearer""#))
        #expect(masked.contains(#""access_token": "<redacted>""#))
    }

    @Test func masksAcrossWhiteSpaceAroundTheColonAndOnlyStringValues() {
        let redactor = Redactor()
        #expect(redactor.text("{\"password\" \n:\t \"p1\"}") == "{\"password\" \n:\t \"<redacted>\"}")
        #expect(redactor.text(#"{"token": 42, "secret" "x", "token""#) == #"{"token": 42, "secret" "x", "token""#)
        #expect(redactor.text(#"{"token":"#) == #"{"token":"#)
    }

    @Test func masksFormValuesAtBoundariesOnly() {
        let redactor = Redactor()
        #expect(
            redactor.text("grant_type=client_credentials&client_secret=abc123&scope=all-apis")
                == "grant_type=client_credentials&client_secret=<redacted>&scope=all-apis")
        #expect(redactor.text("/api?page_token=abc") == "/api?page_token=abc")
        #expect(redactor.text("/x?token=abcd&b=1") == "/x?token=<redacted>&b=1")
    }

    @Test func masksRegisteredSecretsAnywhere() {
        let redactor = Redactor(secrets: ["dapi-very-secret"])
        redactor.register("ab")  // too short to mask safely: ignored
        redactor.register("oauth-token-42")
        let text = "error near dapi-very-secret and oauth-token-42 in ab"
        #expect(redactor.text(text) == "error near <redacted> and <redacted> in ab")
    }
}
