import Foundation
import LakegateCore

extension WorkspaceState {
    mutating func createFunction(_ create: CreateFunctionStatement, _ session: SQLSession) throws(SQLError) {
        let parts = try session.resolve(create.name)
        try requireSchema(parts[0], parts[1])
        let fullName = parts.joined(separator: ".")
        if functions[fullName] != nil {
            if create.ifNotExists { return }
            guard create.orReplace else {
                throw SQLError(
                    code: "ROUTINE_ALREADY_EXISTS",
                    message: "Cannot create the routine `\(fullName)` because it already exists.",
                    sqlState: "42723")
            }
        }
        let parameters: [JSONValue] = create.parameters.enumerated().map { i, p in
            let type = SQLType(text: p.type)
            return [
                "name": .string(p.name.lowercased()), "type_text": .string(type.text),
                "type_name": .string(type.typeName),
                "type_json": .string(type.jsonType), "position": .int(Int64(i)), "parameter_mode": "IN",
                "parameter_type": "PARAM",
            ]
        }
        let returns = SQLType(text: create.returns)
        var info = functionInfo(
            catalog: parts[0], schema: parts[1], name: parts[2], principal: session.principal, now: session.now)
        info["input_params"] = ["parameters": .array(parameters)]
        info["data_type"] = .string(returns.typeName)
        info["full_data_type"] = .string(returns.text)
        info["routine_body"] = "SQL"
        info["routine_definition"] = .string(create.body)
        if let comment = create.comment { info["comment"] = .string(comment) }
        if let previous = functions[fullName], let id = previous["function_id"] { info["function_id"] = id }
        functions[fullName] = info
    }

    /// The server-side fields of a `FunctionInfo`.
    func functionInfo(catalog: String, schema: String, name: String, principal: String, now: Int64) -> JSONObject {
        [
            "name": .string(name), "catalog_name": .string(catalog), "schema_name": .string(schema),
            "full_name": .string("\(catalog).\(schema).\(name)"), "specific_name": .string(name),
            "function_id": .string(Names.uuid()), "owner": .string(principal), "metastore_id": .string(metastoreID),
            "created_at": .int(now), "created_by": .string(principal), "updated_at": .int(now),
            "updated_by": .string(principal), "parameter_style": "S", "is_deterministic": true,
            "sql_data_access": "CONTAINS_SQL", "is_null_call": false, "security_type": "DEFINER",
            "sql_path": .string("SYSTEM.BUILTIN, SYSTEM.SESSION, \(catalog).\(schema)"),
        ]
    }
}
