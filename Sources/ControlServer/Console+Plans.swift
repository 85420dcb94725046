import Foundation
import LakegateCore
import Store

extension Console {
    /// The template context of a kept plan: its revision, outcome and, per action, the header line and the field
    /// changes as the planner rendered them (`PlanRenderer.document`), with each action's result when `applied`
    /// is the audit entry of this plan's apply.
    static func planContext(_ record: PlanRecord, applied: AuditEntry?) -> [String: Any] {
        let document = (try? JSONValue(parsing: record.document)) ?? .object([:])
        let results = Dictionary(
            (applied?.actions ?? []).map { ($0.resource, $0.result) }, uniquingKeysWith: { first, _ in first })
        let actions: [[String: Any]] = (document["actions"]?.arrayValue ?? []).map { action in
            let key = action["key"]?.stringValue ?? ""
            let changes: [[String: Any]] = (action["changes"]?.arrayValue ?? []).map { change in
                var row: [String: Any] = [
                    "field": change["field"]?.stringValue ?? "", "line": change["line"]?.stringValue ?? "",
                ]
                // Absent keys stay out of the context: the template shows "(absent)" for them.
                if let before = change["before"]?.stringValue { row["before"] = before }
                if let after = change["after"]?.stringValue { row["after"] = after }
                return row
            }
            var row: [String: Any] = [
                "type": action["type"]?.stringValue ?? "", "header": action["header"]?.stringValue ?? "",
                "key": key, "changes": changes, "hasChanges": !changes.isEmpty,
            ]
            if let reason = action["reason"]?.stringValue { row["reason"] = reason }
            if let result = results[key] { row["result"] = result }
            return row
        }
        let outcomeClass =
            switch record.outcome {
            case "applied", "noChange": "applied"
            case "failed", "stalled": "failed"
            default: "waiting"
            }
        return [
            "release": record.release ?? String(record.commit.prefix(12)), "commit": String(record.commit.prefix(12)),
            "when": time(record.computedAt), "outcome": record.outcome, "outcomeClass": outcomeClass,
            "message": record.message, "digest": String(record.planDigest.prefix(23)),
            "summary": document["summary"]?.stringValue ?? "", "text": document["text"]?.stringValue ?? "",
            "warnings": (document["warnings"]?.arrayValue ?? []).compactMap(\.stringValue),
            "actions": actions, "hasActions": !actions.isEmpty, "applied": applied != nil,
        ]
    }
}
