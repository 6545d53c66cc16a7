/// Puts one complete index in one registry and points tags at it.
public protocol IndexPublisher: Sendable {
    /// Publishes the platforms `sources` under `tags` in `repository`; returns the index digest.
    func publish(sources: [PlatformSource], tags: [String], repository: ImageReference) async throws -> String
}
