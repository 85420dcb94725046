/// The functions and operators the evaluator knows, resolved once at compile time.
enum CELFunction: String, Sendable {
    // Operators (names that cannot be written as calls).
    case add = "_+_"
    case subtract = "_-_"
    case multiply = "_*_"
    case divide = "_/_"
    case modulo = "_%_"
    case equal = "_==_"
    case notEqual = "_!=_"
    case less = "_<_"
    case lessEqual = "_<=_"
    case greater = "_>_"
    case greaterEqual = "_>=_"
    case `in` = "@in"

    // Core functions.
    case size, contains, startsWith, endsWith, matches
    case int, uint, double, string, bytes, bool, dyn, type, timestamp, duration
    case getFullYear, getMonth, getDate, getDayOfMonth, getDayOfWeek, getDayOfYear
    case getHours, getMinutes, getSeconds, getMilliseconds

    // Strings extension.
    case charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace, split, substring, trim, join, reverse
    case format
    case quote = "strings.quote"

    // Math extension.
    case greatest = "math.greatest"
    case least = "math.least"
    case abs = "math.abs"
    case ceil = "math.ceil"
    case floor = "math.floor"
    case round = "math.round"
    case trunc = "math.trunc"
    case sign = "math.sign"
    case isNaN = "math.isNaN"
    case isInf = "math.isInf"
    case isFinite = "math.isFinite"
    case bitAnd = "math.bitAnd"
    case bitOr = "math.bitOr"
    case bitXor = "math.bitXor"
    case bitNot = "math.bitNot"
    case bitShiftLeft = "math.bitShiftLeft"
    case bitShiftRight = "math.bitShiftRight"
    case sqrt = "math.sqrt"

    /// Whether this is an infix operator taking two operands.
    var isBinaryOperator: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .modulo, .equal, .notEqual, .less, .lessEqual, .greater,
            .greaterEqual, .in:
            return true
        default:
            return false
        }
    }
}
