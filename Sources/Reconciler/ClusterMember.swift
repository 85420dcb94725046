import Foundation
import LakegateCore
import Logging
import Store

/// One replica of several sharing PostgreSQL state: its identity, its heartbeat, and which work is its own.
///
/// No leader: every replica heartbeats into `replicas`, reads the live set, and takes the repositories that
/// rendezvous hashing gives it among the live replicas. Each product × environment of those repositories is then
/// worked under a lease with a fencing token (``StateStore/acquireLease(product:target:holder:duration:)``). A
/// replica that stops heartbeating drops out of the live set after one lease duration and its repositories move
/// to the others; its leases have expired by then too, since they are only renewed while it works.
///
/// The unit of ownership is the repository: the replica that lists a repository is the one whose mirror has it,
/// so each repository is listed once per interval by the whole cluster, and its pairs go with it.
public struct ClusterMember: Sendable {
    /// This replica's name in `replicas` and in `leases.holder`.
    public let replicaID: String
    /// How long a lease and a heartbeat last without renewal.
    public let leaseDuration: Duration
    let store: StateStore

    public init(replicaID: String, leaseDuration: Duration, store: StateStore) {
        self.replicaID = replicaID
        self.leaseDuration = leaseDuration
        self.store = store
    }

    /// A replica name unique to this process: `LAKEGATE_REPLICA_ID`, else host name, process id and a random
    /// suffix (a restarted pod is a new replica; the old name expires).
    public static func defaultReplicaID(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String
    {
        if let id = environment["LAKEGATE_REPLICA_ID"], !id.isEmpty { return id }
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
    }

    /// Records that this replica is alive.
    public func heartbeat() async throws {
        let (store, id) = (store, replicaID)
        try await Blocking.run { try store.heartbeat(replica: id) }
    }

    /// The repositories among `repositories` this replica owns now; none when the live set cannot be read (fail
    /// closed: better idle for a pass than work alongside another replica).
    public func ownedRepositories(_ repositories: [String], logger: Logger) async -> Set<String> {
        let (store, window) = (store, leaseDuration)
        let live: [String]
        do {
            live = try await Blocking.run { try store.liveReplicas(within: window) }
        } catch {
            logger.error("reading the live replicas failed; owning nothing this pass", metadata: ["error": "\(error)"])
            return []
        }
        // This replica counts even before its first heartbeat is visible.
        let replicas = live.contains(replicaID) ? live : live + [replicaID]
        return Set(repositories.filter { Self.owner(of: $0, among: replicas) == replicaID })
    }

    /// The replica that owns `key` among `replicas`: the highest rendezvous score, ties to the smaller name.
    public static func owner(of key: String, among replicas: [String]) -> String? {
        replicas.max { a, b in
            let (sa, sb) = (score(a, key), score(b, key))
            return sa != sb ? sa < sb : a > b
        }
    }

    /// A stable 64-bit score of a replica for a key (FNV-1a, then splitmix64 to spread it): the same in every
    /// process, unlike Swift's seeded `Hasher`.
    static func score(_ replica: String, _ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (replica + "\u{0}" + key).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }
}
