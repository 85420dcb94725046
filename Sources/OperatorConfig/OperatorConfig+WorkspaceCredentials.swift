extension OperatorConfig.WorkspaceCredentials {
    /// The Databricks configuration attributes (as `~/.databrickscfg` names them) these credentials stand for,
    /// `auth_type` included; nil for a profile, which is resolved from its file.
    ///
    /// Environment variables are read through `variable` (which throws when one is unset); files are not read
    /// here but named (`token_file`, `client_secret_file`, …), so the client reads them before each use and a
    /// rotated secret takes effect without a restart.
    public func databricksAttributes(variable: (String) throws -> String) throws -> [String: String]? {
        switch self {
        case .token(.environmentVariable(let name)):
            return ["token": try variable(name), "auth_type": "pat"]
        case .token(.file(let path)):
            return ["token_file": path, "auth_type": "pat"]
        case .oauth(let idVariable, let secret):
            var values = ["client_id": try variable(idVariable), "auth_type": "oauth-m2m"]
            switch secret {
            case .environmentVariable(let name): values["client_secret"] = try variable(name)
            case .file(let path): values["client_secret_file"] = path
            }
            return values
        case .azure(let principal):
            var values = [
                "azure_client_id": try variable(principal.clientIDVariable), "auth_type": "azure-client-secret",
            ]
            switch principal.clientSecret {
            case .environmentVariable(let name): values["azure_client_secret"] = try variable(name)
            case .file(let path): values["azure_client_secret_file"] = path
            }
            values["azure_tenant_id"] = principal.tenantID
            values["azure_login_endpoint"] = principal.loginEndpoint
            return values
        case .workloadIdentity(let tokenFile, let idVariable):
            return ["oidc_token_filepath": tokenFile, "client_id": try variable(idVariable), "auth_type": "file-oidc"]
        case .profile:
            return nil
        }
    }
}
