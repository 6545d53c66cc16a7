import Foundation

/// Options of a `RegistryClient`: transport security, concurrency, timeouts and retries.
public struct RegistryClientConfiguration: Sendable {
    /// Registry hosts (`host[:port]`) that may be reached over plain HTTP. Loopback always may.
    public var insecureHosts: Set<String>
    /// Registry hosts that speak HTTPS even on loopback (their config gives a `ca:` or says `insecure: false`).
    public var httpsHosts: Set<String>
    /// CA certificates trusted for HTTPS besides the system's.
    public var trust: TrustedCertificates
    /// How many requests run against one registry at a time.
    public var maxConcurrentRequestsPerRegistry: Int
    /// The deadline of one HTTP request, response body included (a blob read as it
    /// arrives is bounded by the same time without data instead).
    public var requestTimeout: Duration
    /// The deadline of one blob upload, its streamed body included.
    public var transferTimeout: Duration
    /// How often a request is retried after a connection error, a 5xx or a 429.
    public var maxRetries: Int
    /// The first retry's delay; each further retry doubles it (with jitter).
    public var retryBaseDelay: Duration
    /// The longest `Retry-After` the client waits for; longer ones are cut to this.
    public var maxRetryAfter: Duration
    /// `n` for tag listing pages; nil lets the registry choose.
    public var tagPageSize: Int?

    public init(
        insecureHosts: Set<String> = [], httpsHosts: Set<String> = [], trust: TrustedCertificates = TrustedCertificates(), maxConcurrentRequestsPerRegistry: Int = 8,
        requestTimeout: Duration = .seconds(30), transferTimeout: Duration = .seconds(3600), maxRetries: Int = 4, retryBaseDelay: Duration = .milliseconds(250),
        maxRetryAfter: Duration = .seconds(60), tagPageSize: Int? = nil
    ) {
        self.insecureHosts = Set(insecureHosts.map { RegistryHost.canonical($0) })
        self.httpsHosts = Set(httpsHosts.map { RegistryHost.canonical($0) })
        self.trust = trust
        self.maxConcurrentRequestsPerRegistry = max(1, maxConcurrentRequestsPerRegistry)
        self.requestTimeout = requestTimeout
        self.transferTimeout = transferTimeout
        self.maxRetries = max(0, maxRetries)
        self.retryBaseDelay = retryBaseDelay
        self.maxRetryAfter = maxRetryAfter
        self.tagPageSize = tagPageSize
    }

    /// Requests at once per registry for a release: publishing sends every tag's check,
    /// write and read-back together, so a tag set this large still costs one round trip a
    /// step (the default of 8 would make 20 tags take three).
    public static let releaseConcurrency = 32

    /// The options of a client for `registries` (their insecure and HTTPS hosts, their `ca:`),
    /// trusting `caBundle`, `SSL_CERT_FILE` and `SSL_CERT_DIR` too.
    public init(registries: [RegistryTarget], caBundle: String?, maxConcurrentRequestsPerRegistry: Int = 8) throws {
        self.init(
            insecureHosts: registries.insecureHosts, httpsHosts: registries.httpsHosts,
            trust: try TrustedCertificates(caBundle: caBundle, registries: registries),
            maxConcurrentRequestsPerRegistry: maxConcurrentRequestsPerRegistry)
    }

    /// Whether requests to `host` use plain HTTP: loopback hosts and the configured insecure
    /// ones, unless the config asks for HTTPS.
    public func usesPlainHTTP(_ host: String) -> Bool {
        if httpsHosts.contains(RegistryHost.canonical(host)) { return false }
        return RegistryHost.isLoopback(host) || insecureHosts.contains(RegistryHost.canonical(host))
            || insecureHosts.contains(RegistryHost.hostWithoutPort(RegistryHost.canonical(host)))
    }

    /// `http://host` or `https://host` for the registry API of `registry`.
    func baseURL(_ registry: String) -> String {
        (usesPlainHTTP(registry) ? "http://" : "https://") + RegistryHost.apiHost(registry)
    }
}
