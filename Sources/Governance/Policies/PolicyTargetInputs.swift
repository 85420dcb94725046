import LakegateCore

/// Everything the policies of one target see: the variables `dp`, `contract`, `resource`, `prev`, `env`, `plan`.
public struct PolicyTargetInputs: Sendable {
    /// A data contract and the file it came from.
    public struct ContractInput: Sendable {
        public var path: String
        public var json: JSONValue

        public init(path: String, json: JSONValue) {
            self.path = path
            self.json = json
        }
    }

    /// The previous release: its product document, contracts and rendering for this target.
    public struct PreviousRelease: Sendable {
        public var dataProduct: JSONValue
        public var contracts: [ContractInput]
        public var state: DesiredState

        /// The previous contract that `contract` continues: same `id`, else same path.
        public func contract(matching contract: ContractInput) -> ContractInput? {
            if let id = contract.json["id"]?.stringValue,
                let match = contracts.first(where: { $0.json["id"]?.stringValue == id })
            {
                return match
            }
            return contracts.first { $0.path == contract.path }
        }

        /// `{"dp", "contracts", "resources", "digest"}`.
        public var jsonValue: JSONValue {
            .object([
                "dp": dataProduct,
                "contracts": .array(contracts.map(\.json)),
                "resources": .array(state.resources.map(\.jsonValue)),
                "digest": .string(state.digest),
            ])
        }
    }

    /// The product id, the subject of `dataproduct` and `plan` policies.
    public var productID: String
    public var target: String
    /// `env`: the target's settings from the bundle, with `name` set to the target.
    public var env: JSONValue
    /// `dp`: the `dataproduct.yaml` document.
    public var dataProduct: JSONValue
    public var contracts: [ContractInput]
    /// The rendered desired state of this target.
    public var state: DesiredState
    public var previous: PreviousRelease?
    /// `plan`, when checked against a plan.
    public var plan: JSONValue?
    /// The file that holds the product document, for reports.
    public var dataProductPath: String

    public init(
        productID: String, target: String, env: JSONValue, dataProduct: JSONValue, contracts: [ContractInput],
        state: DesiredState, previous: PreviousRelease? = nil, plan: JSONValue? = nil,
        dataProductPath: String = "dataproduct.yaml"
    ) {
        self.productID = productID
        self.target = target
        self.env = env
        self.dataProduct = dataProduct
        self.contracts = contracts
        self.state = state
        self.previous = previous
        self.plan = plan
        self.dataProductPath = dataProductPath
    }

    /// The output ports of `dataproduct.yaml`.
    var outputPorts: [JSONValue] { dataProduct["outputPorts"]?.arrayValue ?? [] }

    /// The contract an output port publishes (by contract id or path).
    func contract(forPort port: JSONValue) -> ContractInput? {
        guard let reference = port["contract"]?.stringValue else { return nil }
        return contracts.first { $0.json["id"]?.stringValue == reference || $0.path == reference }
    }
}
