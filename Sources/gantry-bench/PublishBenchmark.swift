import Crypto
import Foundation
import GantryEngine
import GantryTestSupport

/// `gantry-bench publish`: the whole `gantry publish` flow (preflight, pending tag set,
/// confirmation, publish, read-back) of 3 platforms already in every registry, through
/// proxies adding 0, 50 and 100 ms to every response. The wall time grows by one latency
/// per round trip on the critical path, so the slope over latency is that number of round
/// trips. The proxies count the requests each registry receives.
enum PublishBenchmark {
    static let platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7"]
    static let latencies = [0, 50, 100]
    /// Each latency is run this often and the fastest run kept: the machine is shared.
    static let repeats = 3
    static let roundTripTarget = 10.0

    /// A publish to measure: how many tags, how many registries, and whether the tags exist
    /// already (a release after a release: some tags move, their current index is read).
    struct Shape {
        var tags: Int
        var registries: Int
        var moves: Bool
        /// `sign:` in the config: the index and the release record are signed too.
        var signs = false

        var name: String { "\(platforms.count)p \(tags)t \(registries)r" + (moves ? " moving" : "") + (signs ? " signed" : "") }
    }

    static let shapes = [
        Shape(tags: 4, registries: 2, moves: false), Shape(tags: 20, registries: 2, moves: false),
        Shape(tags: 4, registries: 5, moves: false), Shape(tags: 20, registries: 5, moves: false),
        Shape(tags: 4, registries: 2, moves: true), Shape(tags: 4, registries: 2, moves: false, signs: true), Shape(tags: 4, registries: 2, moves: true, signs: true),
    ]

    /// `familyOnly` (`--family-only`): the family row alone.
    static func run(familyOnly: Bool = false) async throws {
        let registryCount = shapes.map(\.registries).max()!
        try await withRegistries(registryCount) { registries in
            let fixtures = try ImageFixtures()
            defer { fixtures.remove() }
            try await withTemporaryDirectory(prefix: "gantry-bench-publish") { folder in
                // Two releases' platforms (different digests), in every registry, labelled with their version as Gantry's builds are.
                let previous = try await stage(in: registries, fixtures: fixtures, version: "1.0.0")
                let current = try await stage(in: registries, fixtures: fixtures, version: "1.1.0")
                let proxies = try latencies.map { ms in try registries.map { try LatencyProxy(upstreamPort: $0.port, delay: .milliseconds(ms)) } }
                defer { proxies.joined().forEach { $0.stop() } }
                var run = 0
                for shape in familyOnly ? [] : shapes {
                    var walls: [Int: Double] = [:]
                    var requests: [[LatencyProxy.Request]] = []
                    for (l, ms) in latencies.enumerated() {
                        for _ in 0..<repeats {
                            run += 1
                            let through = Array(proxies[l].prefix(shape.registries))
                            let project = try Project(folder: folder, run: run, tags: shape.tags, registries: through.map(\.host), signs: shape.signs)
                            if shape.moves { try await project.publish("1.0.0", previous) }
                            let marks = through.map(\.requests.count)
                            let wall = try await project.publish("1.1.0", current)
                            walls[ms] = min(walls[ms] ?? .infinity, wall)
                            requests = zip(through, marks).map { Array($0.requests.dropFirst($1)) }
                        }
                    }
                    report(shape, walls: walls, requests: requests)
                }
                try await family(registries: Array(registries.prefix(2)), fixtures: fixtures, folder: folder, proxies: proxies, run: run)
            }
        }
    }

    /// The family row: 4 images × 3 platforms × 2 registries × 4 tags published as one
    /// (`FamilyRelease`: every index staged by digest, then every image's tags). Images and
    /// registries go in parallel, so the critical path is one image's.
    static func family(registries: [RegistryServer], fixtures: ImageFixtures, folder: TemporaryDirectory, proxies: [[LatencyProxy]], run first: Int) async throws {
        let images = (1...4).map { "bench/family-\($0)" }
        var sources: [String: [PlatformSource]] = [:]
        for image in images { sources[image] = try await stage(in: registries, fixtures: fixtures, version: "1.1.0", repository: image) }
        var walls: [Int: Double] = [:]
        var run = first
        for (l, ms) in latencies.enumerated() {
            for _ in 0..<repeats {
                run += 1
                let through = Array(proxies[l].prefix(registries.count))
                let project = try Project(folder: folder, run: run, tags: 4, registries: through.map(\.host), images: images)
                walls[ms] = min(walls[ms] ?? .infinity, try await project.publishFamily("1.1.0", sources))
            }
        }
        let (low, high) = (latencies.first!, latencies.last!)
        let roundTrips = (walls[high]! - walls[low]!) / (Double(high - low) / 1000)
        Figure(benchmark: "publish", measure: "round trips, family 4i \(platforms.count)p 4t \(registries.count)r", value: String(format: "%.1f", roundTrips),
               target: "≤ \(Int(roundTripTarget))", met: roundTrips <= roundTripTarget,
               detail: latencies.map { String(format: "%d ms %.2f s", $0, walls[$0]!) }.joined(separator: ", ")).print()
    }

    static func report(_ shape: Shape, walls: [Int: Double], requests: [[LatencyProxy.Request]]) {
        let (low, high) = (latencies.first!, latencies.last!)
        let roundTrips = (walls[high]! - walls[low]!) / (Double(high - low) / 1000)
        let times = latencies.map { String(format: "%d ms %.2f s", $0, walls[$0]!) }.joined(separator: ", ")
        Figure(benchmark: "publish", measure: "round trips, \(shape.name)", value: String(format: "%.1f", roundTrips),
               target: "≤ \(Int(roundTripTarget))", met: roundTrips <= roundTripTarget, detail: times).print()
        // The issue's budget per registry: platforms HEAD + current tags HEAD + one GET per
        // distinct current index + index PUT + tags PUT + tags read back.
        let p = platforms.count, t = shape.tags, d = shape.moves ? 1 : 0, written = shape.tags
        // Each registry's release record: its layer (POST, PUT), the empty config (HEAD; POST
        // and PUT the first time), the subject's fallback index (HEAD, PUT) and the record (PUT).
        // Signed, each of the two signatures: its .sig tag (HEAD), payload and config (POST,
        // PUT each) and the signature manifest (PUT).
        let r = 6 + (shape.signs ? 12 : 0)
        let budget = p + t + d + 1 + written + t + r
        // What the guarantees add: every tag checked twice after confirmation (all at once
        // before the index, then each right before its own PUT); the version of a current
        // index without a version annotation, from its first platform's manifest and config;
        // and in the first registry, the platforms' configs, read once to compose the index.
        let guarded = budget + 2 * t + 2 * d
        let counts = requests.map(\.count)
        let sent = counts.map(String.init).joined(separator: " ")
        let kinds = Dictionary(grouping: requests.joined(), by: \.kind).mapValues(\.count)
            .sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        Figure(benchmark: "publish", measure: "requests per registry, \(shape.name)", value: sent,
               target: "≤ \(budget)", met: counts.allSatisfy { $0 <= budget },
               detail: "the issue's budget: \(p) platforms + \(t) current + \(d) index GET + 1 index PUT + \(written) tag PUT + \(t) read back + \(r) release record\(shape.signs ? " and signatures" : ""); sent: \(kinds)").print()
        Figure(benchmark: "publish", measure: "  with the tag checks, \(shape.name)", value: sent,
               target: "≤ \(guarded) (+\(p + 2) 1st)", met: counts.enumerated().allSatisfy { $1 <= guarded + ($0 == 0 ? p + 2 : 2) },
               detail: "+ \(t) checks before the index and \(t) right before each PUT" + (d > 0 ? " + \(2 * d) reads for the current version" : "")
                   + "; the first registry also serves the \(p) configs the index is composed from").print()
    }

    /// Builds the platforms of one release (labelled with `version`) and pushes them to every
    /// registry by digest, as CI jobs do; returns them as publish sources.
    static func stage(in registries: [RegistryServer], fixtures: ImageFixtures, version: String, repository: String = "bench/app") async throws -> [PlatformSource] {
        let list = try await fixtures.buildIndex(platforms: platforms, labels: [AnnotationKey.version: version])
        for registry in registries { try await fixtures.pushIndex(list, to: "\(registry.host)/\(repository):staging-\(version)") }
        return try await RegistryClient.with(credentials: .anonymous) { client in
            let staged = try await client.manifest(ImageReference(registry: registries[0].host, repository: repository, tag: "staging-\(version)"))
            guard let index = staged.index else { throw BenchmarkError("buildah pushed no index") }
            return try index.manifests.map { entry in
                guard let platform = entry.platform?.platform else { throw BenchmarkError("an index entry without a platform") }
                return PlatformSource(platform: platform, digest: entry.digest)
            }
        }
    }

    /// One run's release config and state folder. Its tags carry a prefix of their own, so
    /// every run starts from tags that do not exist yet.
    struct Project {
        let config: String
        let state: StateDirectory

        /// `images`: a family of these repositories instead of `bench/app` alone.
        init(folder: TemporaryDirectory, run: Int, tags: Int, registries: [String], images: [String] = [], signs: Bool = false) throws {
            let rules = ["\"{{version}}\"", "\"{{major}}.{{minor}}\"", "\"{{major}}\"", "latest"] + (0..<max(0, tags - 4)).map { "stable-\($0 + 1)" }
            config = try folder.write("run-\(run)/gantry.yaml", """
                image: bench/app
                registries: [\(registries.joined(separator: ", "))]
                platforms: [\(platforms.joined(separator: ", "))]
                tags: [\(rules.prefix(tags).joined(separator: ", "))]
                flavor: {prefix: "r\(run)-", onlatest: true}
                builder: buildah
                publisher: native
                attestations: none
                \(signs ? "sign: {key: signing.pem}" : "")
                \(images.isEmpty ? "" : "images:\n" + images.map { "  - image: \($0)\n" }.joined())
                """)
            if signs { _ = try folder.write("run-\(run)/signing.pem", P256.Signing.PrivateKey().pemRepresentation) }
            state = StateDirectory(root: folder.url.appendingPathComponent("run-\(run)/state"))
        }

        /// `gantry publish --version VERSION --digest ... --yes`, in-process; returns its wall time in seconds.
        @discardableResult
        func publish(_ version: String, _ sources: [PlatformSource]) async throws -> Double {
            let config = try ReleaseConfigLoader.load(path: self.config)
            let request = FlowRequest.publish(config, try SemanticVersion.parse(version), sources: sources, FlowOptions())
            let start = ContinuousClock.now
            let outcome = try await ReleaseFlow.with(request, in: FlowEnvironment(state: state, credentials: .anonymous)) {
                try await $0.run(AssumeYes())
            }
            let wall = Measure.seconds(ContinuousClock.now - start)
            guard outcome.stage == .verified else {
                throw BenchmarkError("the publish of \(version) ended \(outcome.stage): \(outcome.journal.publications.compactMap(\.error?.message))")
            }
            return wall
        }

        /// The family's publish of `sources` (by image), in-process; returns its wall time in seconds.
        func publishFamily(_ version: String, _ sources: [String: [PlatformSource]]) async throws -> Double {
            let request = FamilyRequest.publish(try ReleaseConfigLoader.load(path: config), try SemanticVersion.parse(version), sources: sources, FamilyOptions())
            let start = ContinuousClock.now
            let outcome = try await FamilyRelease.run(request, in: FlowEnvironment(state: state, credentials: .anonymous), interaction: AssumeYes())
            let wall = Measure.seconds(ContinuousClock.now - start)
            guard outcome.succeeded else {
                throw BenchmarkError("the family publish of \(version) did not verify: \(outcome.members.map { "\($0.name): \($0.outcome?.stage.rawValue ?? $0.error?.message ?? "-")" })")
            }
            return wall
        }
    }

    /// `--yes`: confirms whatever pending tag set the flow shows.
    struct AssumeYes: ReleaseInteraction {
        func cannotPublish(_ refusal: FlowRefusal, retryable: [Platform]) async -> BlockedAnswer { .stop }
        func confirm(_ request: ConfirmationRequest) async -> ConfirmationAnswer { .confirmed(.assumed(request.pending)) }
    }
}
