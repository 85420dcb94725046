extension CELEvaluator {
    func mathExtension(_ fn: CELFunction, _ args: [CELValue]) throws(CELError) -> CELValue {
        throw noOverload(fn.rawValue, args)
    }
}
