import LakegateCore
import Planner

extension ApplyReport {
    /// `{"succeeded", "operations", "results": [{"action", "kind", "key", "name", "status", ...}]}`: what
    /// `lakegate apply --output json` prints after the plan.
    public var jsonValue: JSONValue {
        .object([
            "succeeded": .bool(succeeded),
            "operations": .int(Int64(operations)),
            "summary": .string(summary),
            "results": .array(
                results.map { result in
                    var object: [String: JSONValue] = [
                        "action": .string(result.type.rawValue), "kind": .string(result.kind.rawValue),
                        "key": .string(result.key), "name": .string(result.name),
                        "operations": .int(Int64(result.operations)),
                        "adoptedExisting": .bool(result.adoptedExisting),
                    ]
                    switch result.status {
                    case .succeeded: object["status"] = "succeeded"
                    case .failed(let message):
                        object["status"] = "failed"
                        object["error"] = .string(message)
                    case .skipped(let because):
                        object["status"] = "skipped"
                        object["dependsOn"] = .string(because)
                    }
                    return .object(object)
                }),
        ])
    }
}
