import Foundation

extension SQLParser {
    /// `CREATE [OR REPLACE] FUNCTION [IF NOT EXISTS] f(p TYPE, …) RETURNS TYPE [characteristics] RETURN expr`.
    mutating func createFunction(orReplace: Bool) throws(SQLError) -> CreateFunctionStatement {
        let ifNotExists = ifNotExists()
        var function = CreateFunctionStatement(name: try qualifiedName("a function name"))
        function.orReplace = orReplace
        function.ifNotExists = ifNotExists
        try expect(symbol: "(")
        if !accept(symbol: ")") {
            repeat {
                let name = try identifier("a parameter name")
                let type = try dataType()
                if accept("DEFAULT") { _ = try literalText() }
                if accept("COMMENT") { _ = try stringLiteral() }
                function.parameters.append((name, type.text))
            } while accept(symbol: ",")
            try expect(symbol: ")")
        }
        try expect("RETURNS")
        if accept("TABLE") {
            throw SQLError.unsupported("table-valued functions (RETURNS TABLE)")
        }
        function.returns = try dataType().text
        while peek != nil {
            if accept("RETURN") {
                let start = offset
                var body = String(text[start...]).trimmingCharacters(in: .whitespacesAndNewlines)
                if body.hasSuffix(";") { body.removeLast() }
                guard !body.isEmpty else { throw SQLError.syntax("RETURN needs an expression", at: start) }
                function.body = body
                index = tokens.count
                return function
            } else if accept("LANGUAGE") {
                function.language = try identifier("a language").uppercased()
                if function.language != "SQL" {
                    throw SQLError.unsupported("functions in LANGUAGE \(function.language)")
                }
            } else if accept("COMMENT") {
                function.comment = try stringLiteral()
            } else if accept("NOT", "DETERMINISTIC") || accept("DETERMINISTIC") || accept("CONTAINS", "SQL")
                || accept("READS", "SQL", "DATA") || accept("SQL", "SECURITY", "DEFINER")
            {
                continue
            } else if isWord("AS") {
                throw SQLError.unsupported("function bodies given with AS (use RETURN expr)")
            } else {
                throw SQLError.syntax("unexpected \(found) in CREATE FUNCTION", at: offset)
            }
        }
        throw SQLError.syntax("CREATE FUNCTION needs RETURN followed by the body", at: offset)
    }
}
