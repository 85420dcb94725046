import LakegateCore

/// Turning JSON documents into CEL variables, and the line-oriented evaluation behind `lakegate policy eval`.
public enum CELVariables {
    /// The top-level members of a JSON object as variables: integers become ints, other numbers doubles.
    public static func bindings(fromJSONObject json: JSONValue) throws(CELError) -> [String: CELValue] {
        guard case .object(let members) = json else {
            throw CELError("the input must be a JSON object whose keys become variables")
        }
        var out: [String: CELValue] = [:]
        out.reserveCapacity(members.count)
        for (name, value) in members { out[name] = CELValue(json: value) }
        return out
    }

    /// Evaluates one request line and returns the tagged result, or `{"error": …}`.
    ///
    /// A line is either a JSON object `{"expr": "…", "bindings": {"x": <tagged value>}}` or a bare expression.
    /// `base` variables apply to every line; request bindings override them.
    public static func evaluateLine(
        _ line: String, base: [String: CELValue] = [:], cache: CELCache, costLimit: Int = CELProgram.defaultCostLimit
    ) -> JSONValue {
        var expr = line
        var bindings = base
        if line.first == "{", let request = try? JSONValue(parsing: line), case .string(let e)? = request["expr"] {
            expr = e
            for (name, tagged) in request["bindings"]?.objectValue ?? [:] {
                do {
                    bindings[name] = try CELValue(tagged: tagged)
                } catch {
                    return ["error": .string("binding \(name): \(error.message)")]
                }
            }
        }
        do {
            return try cache.evaluate(expr, bindings, costLimit: costLimit).taggedJSON
        } catch {
            return ["error": .string(error.description)]
        }
    }
}
