import Foundation
import OperatorConfig

extension OperatorConfig.Sync.Backoff {
    /// Seconds to wait after `failures` failures in a row: `initial`, doubled for each further failure, at most
    /// `max`.
    public func delay(afterFailures failures: Int) -> Double {
        let initial = Controller.seconds(initial)
        let limit = Controller.seconds(max)
        // Past 2^30 the cap has long been reached; the bound keeps the power finite.
        let doublings = Double(Swift.min(Swift.max(failures - 1, 0), 30))
        return Swift.min(limit, initial * pow(2.0, doublings))
    }
}
