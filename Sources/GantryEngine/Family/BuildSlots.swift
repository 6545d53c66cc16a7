/// One `parallel` limit shared by every image of a family: each member's builds take a
/// slot here, so a family of 4 images × 3 platforms with `parallel: 4` runs 4 builds at
/// once, not 4 per image.
public final class BuildSlots: Sendable {
    private let limiter: ConcurrencyLimiter
    private static let key: Set<String> = ["builds"]

    public init(_ count: Int) { limiter = ConcurrencyLimiter(limit: max(1, count)) }

    /// `driver`, each of whose builds waits for a slot first.
    func limiting(_ driver: any BuildDriver) -> any BuildDriver { SlottedDriver(inner: driver, limiter: limiter) }

    private struct SlottedDriver: BuildDriver {
        let inner: any BuildDriver
        let limiter: ConcurrencyLimiter
        var name: String { inner.name }

        func build(_ job: BuildJob, emit: @escaping @Sendable (BuildEvent.Kind) -> Void) async throws -> BuildResult {
            try await limiter.withSlots(BuildSlots.key) {
                try Task.checkCancellation()
                return try await inner.build(job, emit: emit)
            }
        }
    }
}
