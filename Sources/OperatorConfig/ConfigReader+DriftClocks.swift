import Descriptors

extension ConfigReader {
    /// `driftInterval`, `resyncInterval`, `auditLog` and `auditDelay` of a `sync` mapping.
    mutating func driftClocks(_ f: Fields, _ field: String, into sync: inout OperatorConfig.Sync) {
        if let n = f["driftInterval"], let value = duration(n, "\(field).driftInterval") { sync.driftInterval = value }
        if let n = f["resyncInterval"], let value = duration(n, "\(field).resyncInterval") {
            if value >= .seconds(60) {
                sync.resyncInterval = value
            } else {
                report(n, "\(field).resyncInterval", "must be at least 1m")
            }
        }
        if let n = f["auditLog"], let value = bool(n, "\(field).auditLog") { sync.auditLog = value }
        if let n = f["auditDelay"], let value = duration(n, "\(field).auditDelay") { sync.auditDelay = value }
        if sync.resyncInterval < sync.driftInterval, let n = f["resyncInterval"] ?? f["driftInterval"] {
            report(n, "\(field).resyncInterval", "must not be shorter than driftInterval")
        }
    }
}
