/// The parts of an image configuration blob the audit reads.
public struct ImageConfig: Codable, Sendable, Hashable {
    public var architecture: String?
    public var os: String?
    public var variant: String?
    /// RFC 3339 creation time as the builder wrote it.
    public var created: String?
    public var config: RuntimeConfig?

    public init(architecture: String? = nil, os: String? = nil, variant: String? = nil, created: String? = nil, labels: [String: String]? = nil) {
        self.architecture = architecture
        self.os = os
        self.variant = variant
        self.created = created
        self.config = labels.map { RuntimeConfig(labels: $0) }
    }

    /// The container defaults; only the labels matter here.
    public struct RuntimeConfig: Codable, Sendable, Hashable {
        public var labels: [String: String]?
        enum CodingKeys: String, CodingKey { case labels = "Labels" }
        public init(labels: [String: String]?) { self.labels = labels }
    }

    /// `config.Labels`, empty when absent.
    public var labels: [String: String] { config?.labels ?? [:] }

    /// The image's platform, when os and architecture are present.
    public var platform: DescriptorPlatform? {
        guard let os, let architecture else { return nil }
        return DescriptorPlatform(os: os, architecture: architecture, variant: variant)
    }
}
