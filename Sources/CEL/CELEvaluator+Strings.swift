extension CELEvaluator {
    func stringExtension(_ fn: CELFunction, receiver: Bool, _ args: [CELValue], _ node: CELNode) throws(CELError)
        -> CELValue
    {
        throw noOverload(fn.rawValue, args)
    }
}
