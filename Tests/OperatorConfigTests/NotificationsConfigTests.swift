import Foundation
import LakegateCore
import OperatorConfig
import Testing

@Suite struct NotificationsConfigTests {
    static func config(_ notifications: String) throws -> OperatorConfig {
        try OperatorConfig.parse(OperatorConfigTests.minimal + "\n" + notifications, path: "lakegate.yaml")
    }

    static func messages(_ notifications: String) -> [String] {
        OperatorConfigTests.diagnostics(OperatorConfigTests.minimal + "\n" + notifications).map(\.description)
    }

    @Test func providersAndRoutesAreRead() throws {
        let config = try Self.config(
            """
            notifications:
              providers:
                hook: {type: webhook, url: "https://hooks.example.com/lakegate", secretEnv: HOOK_SECRET}
                chat: {type: slack, urlEnv: SLACK_URL}
                teams: {type: teams, urlFile: /run/secrets/teams}
                gh: {type: github, apiURL: "https://github.example.com/api/v3/", tokenEnv: GH_TOKEN}
                gl: {type: gitlab, tokenFile: /run/secrets/gitlab}
              routes:
                - providers: [chat, teams]
                  events: [approval.requested, stalled]
                  environments: [dev]
                - providers: [hook, gh, gl]
              retry: {maxAttempts: 3, initialBackoff: 1s, maxBackoff: 1m}
            console:
              proxyUserHeader: X-Forwarded-User
            """)
        let notifications = try #require(config.notifications)
        #expect(notifications.providers.map(\.name) == ["hook", "chat", "teams", "gh", "gl"])
        #expect(notifications.provider("hook")?.secret == .environmentVariable("HOOK_SECRET"))
        #expect(notifications.provider("chat")?.url == .secret(.environmentVariable("SLACK_URL")))
        #expect(notifications.provider("gh")?.url == .literal("https://github.example.com/api/v3"))
        #expect(notifications.provider("gl")?.url == .literal(OperatorConfig.defaultGitLabAPI))
        #expect(notifications.maxAttempts == 3)
        #expect(notifications.initialBackoff == .seconds(1))
        #expect(
            notifications.providers(for: .approvalRequested, product: "shop", environment: "dev")
                == ["hook", "chat", "teams", "gh", "gl"])
        #expect(notifications.providers(for: .deployed, product: "shop", environment: "dev") == ["hook", "gh", "gl"])
        #expect(config.console?.proxyUserHeader == "X-Forwarded-User")
    }

    @Test func routesChooseByKindProductAndEnvironment() {
        let route = OperatorConfig.Route(
            providers: ["a"], events: [.stalled], products: ["shop"], environments: ["prod"])
        #expect(route.matches(kind: .stalled, product: "shop", environment: "prod"))
        #expect(!route.matches(kind: .deployed, product: "shop", environment: "prod"))
        #expect(!route.matches(kind: .stalled, product: "other", environment: "prod"))
        #expect(!route.matches(kind: .stalled, product: "shop", environment: "dev"))
        #expect(route.matches(kind: .stalled, product: "shop", environment: "*"))
    }

    @Test func errorsNameTheFileLineAndField() {
        let messages = Self.messages(
            """
            notifications:
              providers:
                hook: {type: webhook, url: "https://h.example.com", secret: hunter2}
                chat: {type: slak, url: "https://h.example.com"}
                gh: {type: github, url: "https://x.example.com", tokenEnv: GH}
                teams: {type: teams, url: "ftp://x"}
              routes:
                - providers: [hook, nope]
                  events: [deploy]
                  products: [shopp]
                  environments: [prod]
            """)
        let expected = [
            "lakegate.yaml:13:57: notifications.providers.hook: inline secrets are not allowed ('secret')",
            "lakegate.yaml:13:11: notifications.providers.hook: missing required key 'secretEnv' or 'secretFile'",
            "lakegate.yaml:14:18: notifications.providers.chat.type: must be one of webhook, slack, teams, github, gitlab, got 'slak'",
            "lakegate.yaml:15:24: notifications.providers.gh: 'url' is not used by github",
            "lakegate.yaml:16:31: notifications.providers.teams.url: expected an http:// or https:// URL",
            "lakegate.yaml:18:25: notifications.routes[0].providers[1]: unknown provider 'nope'",
            "lakegate.yaml:19:16: notifications.routes[0].events[0]: unknown event 'deploy'",
            "lakegate.yaml:20:18: notifications.routes[0].products[0]: unknown product 'shopp'",
            "lakegate.yaml:21:22: notifications.routes[0].environments[0]: unknown environment 'prod'",
        ]
        for prefix in expected {
            #expect(messages.contains { $0.hasPrefix(prefix) }, "\(prefix)\nin\n\(messages.joined(separator: "\n"))")
        }
        #expect(!messages.joined().contains("hunter2"))
    }

    @Test func slackAndTeamsTakeNoSeparateSecretAndCommitStatusesNeedAToken() {
        let messages = Self.messages(
            """
            notifications:
              providers:
                chat: {type: slack, url: "https://h.example.com", secretEnv: X}
                gh: {type: github}
              routes:
                - providers: [chat]
              retry: {maxAttempts: 0, initialBackoff: 10s, maxBackoff: 1s}
            """)
        #expect(messages.contains { $0.contains("notifications.providers.chat: 'secretEnv' is not used by slack") })
        #expect(messages.contains { $0.contains("notifications.providers.gh: missing required key 'tokenEnv'") })
        #expect(messages.contains { $0.contains("notifications.retry.maxAttempts: must be at least 1") })
        #expect(messages.contains { $0.contains("maxBackoff must not be shorter than initialBackoff") })
    }

    @Test func theConsoleHeaderMustBeAHeaderName() {
        let messages = Self.messages("console: {proxyUserHeader: Authorization}")
        #expect(messages.contains { $0.contains("console.proxyUserHeader: 'Authorization' cannot carry") })
    }
}
