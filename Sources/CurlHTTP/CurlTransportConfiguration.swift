import Foundation

/// Settings of a ``CurlTransport``.
public struct CurlTransportConfiguration: Sendable {
    /// Time allowed to establish a connection, in seconds.
    public var connectTimeout: Double
    /// Time allowed for a whole request, in seconds (the SDKs' `http_timeout_seconds`).
    public var requestTimeout: Double
    /// A PEM bundle of trusted CAs; nil uses the system bundle. TLS peer and host verification are always on.
    public var caBundlePath: String?
    /// An explicit proxy URL; nil lets libcurl read `http_proxy`, `https_proxy`, `all_proxy` and `no_proxy`.
    public var proxy: String?
    /// How many requests may run at once through this transport (one workspace).
    public var maxConcurrency: Int
    /// The `User-Agent` header.
    public var userAgent: String

    public init(
        connectTimeout: Double = 10, requestTimeout: Double = 60, caBundlePath: String? = nil, proxy: String? = nil,
        maxConcurrency: Int = 8, userAgent: String = "lakegate"
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.caBundlePath = caBundlePath
        self.proxy = proxy
        self.maxConcurrency = maxConcurrency
        self.userAgent = userAgent
    }
}
