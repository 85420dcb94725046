import Testing

@testable import PostgresStore

@Suite struct PostgresDatabaseTests {
    @Test func questionMarksBecomeNumberedPlaceholdersOutsideStrings() {
        #expect(
            PostgresDatabase.numbered("SELECT 1 FROM t WHERE a = ? AND b = '?' AND c IN (?, ?)")
                == "SELECT 1 FROM t WHERE a = $1 AND b = '?' AND c IN ($2, $3)")
    }

    @Test func passwordsAreRemovedFromURLs() {
        #expect(
            PostgresDatabase.redacted("postgres://lakegate:s3cret@db:5432/state") == "postgres://lakegate@db:5432/state"
        )
        #expect(
            PostgresDatabase.redacted("postgresql://db/state?password=s3cret&sslmode=require")
                == "postgresql://db/state?password=(redacted)&sslmode=require")
    }

    @Test func anUnreachableServerFailsAtOpenWithTheURLButNoPassword() {
        // Port 1 on loopback: nothing listens, so libpq's connect fails at once.
        let error = #expect(throws: PostgresError.self) {
            try PostgresDatabase(url: "postgres://lakegate:s3cret@127.0.0.1:1/state", password: "other")
        }
        #expect(error?.description.contains("postgres://lakegate@127.0.0.1:1/state") == true)
        #expect(error?.description.contains("s3cret") == false)
        #expect(error?.description.contains("other") == false)
    }
}
