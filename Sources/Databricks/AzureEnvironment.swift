/// The Azure cloud an Azure Databricks workspace lives in: where Entra ID issues tokens and which application
/// the tokens are for. Chosen like the SDKs do, from the workspace host's DNS zone.
public struct AzureEnvironment: Sendable, Equatable {
    /// `PUBLIC`, `USGOVERNMENT`, `CHINA`.
    public var name: String
    /// The Entra ID (Azure AD) login endpoint, ending in `/`: `https://login.microsoftonline.com/`.
    public var loginEndpoint: String
    /// The Azure service management endpoint, the resource of the management token.
    public var managementEndpoint: String
    /// The Azure Databricks application id, the resource of the workspace token.
    public var databricksApplicationID: String

    /// The Azure Databricks first-party application id outside the dev and staging zones.
    public static let databricksResourceID = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"

    public static let `public` = AzureEnvironment(
        name: "PUBLIC", loginEndpoint: "https://login.microsoftonline.com/",
        managementEndpoint: "https://management.core.windows.net/", databricksApplicationID: databricksResourceID)
    public static let usGovernment = AzureEnvironment(
        name: "USGOVERNMENT", loginEndpoint: "https://login.microsoftonline.us/",
        managementEndpoint: "https://management.core.usgovcloudapi.net/", databricksApplicationID: databricksResourceID)
    public static let china = AzureEnvironment(
        name: "CHINA", loginEndpoint: "https://login.chinacloudapi.cn/",
        managementEndpoint: "https://management.core.chinacloudapi.cn/", databricksApplicationID: databricksResourceID)

    /// By `azure_environment` (`ARM_ENVIRONMENT`) name, case-insensitively.
    public static func named(_ name: String) -> AzureEnvironment? {
        [Self.public, usGovernment, china].first { $0.name == name.uppercased() }
    }

    /// The environment of a workspace host by its DNS zone, as the SDKs' `environments.py` table has it; nil for
    /// hosts outside the Azure zones.
    public static func forHost(_ host: String) -> AzureEnvironment? {
        let name = host.split(separator: "://").last.map { String($0.split(separator: "/").first ?? "") } ?? host
        let hostname = String(name.split(separator: ":").first ?? "")
        var environment: AzureEnvironment
        if hostname.hasSuffix(".dev.azuredatabricks.net") {
            environment = .public
            environment.databricksApplicationID = "62a912ac-b58e-4c1d-89ea-b2dbfc7358fc"
        } else if hostname.hasSuffix(".staging.azuredatabricks.net") {
            environment = .public
            environment.databricksApplicationID = "4a67d088-db5c-48f1-9ff2-0aace800ae68"
        } else if hostname.hasSuffix(".azuredatabricks.net") {
            environment = .public
        } else if hostname.hasSuffix(".databricks.azure.us") {
            environment = .usGovernment
        } else if hostname.hasSuffix(".databricks.azure.cn") {
            environment = .china
        } else {
            return nil
        }
        return environment
    }
}
