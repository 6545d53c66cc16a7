import Foundation
@testable import GantryEngine
import GantryTestSupport
import Testing

/// Random mutations of real samples fed to every decoder of outside input: the config
/// loader, the rawjson progress decoder, the manifest/index decoder and the journal decoder.
/// Bounded iterations from a fixed seed (printed, so a failure replays); a crash fails the run.
@Suite(.timeLimit(.minutes(1))) struct FuzzTests {
    static let seed: UInt64 = 0x6A17_2026
    static let iterations = 3_000

    /// SplitMix64: small, fast, and the same sequence everywhere for a seed.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Tokens that matter to the formats, spliced in by some mutations.
    static let tokens: [[UInt8]] = ["{", "}", "[", "]", "\"", ":", ",", "\n", "- ", "  ", "null", "true", "-1", "1e999", "\\u0000",
                                    "{{", "}}", "&a", "*a", "!!binary", "\u{1B}[2J", "\u{FEFF}", "\"format\":\"gantry.release-journal/v1\""].map { Array($0.utf8) }

    /// One random mutation of `bytes`: flip, delete, duplicate, insert bytes or splice a token.
    static func mutate(_ bytes: [UInt8], _ random: inout Random) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            guard !out.isEmpty else { return tokens.randomElement(using: &random)! }
            let at = Int.random(in: 0..<out.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: out[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            case 1: out.removeSubrange(at..<min(out.count, at + Int.random(in: 1...16, using: &random)))
            case 2: out.insert(contentsOf: out[at..<min(out.count, at + Int.random(in: 1...32, using: &random))], at: at)
            case 3: out.insert(contentsOf: (0..<Int.random(in: 1...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: at)
            default: out.insert(contentsOf: tokens.randomElement(using: &random)!, at: at)
            }
        }
        return out
    }

    /// Feeds `iterations` mutations of each sample to `decode` (true: accepted); returns (accepted, rejected).
    static func fuzz(_ name: String, samples: [[UInt8]], _ decode: ([UInt8]) -> Bool) -> (accepted: Int, rejected: Int) {
        var random = Random(state: seed)
        var accepted = 0, rejected = 0
        for i in 0..<iterations {
            if decode(mutate(samples[i % samples.count], &random)) { accepted += 1 } else { rejected += 1 }
        }
        print("fuzz \(name): seed \(String(seed, radix: 16)), \(iterations) mutations of \(samples.count) samples: \(accepted) accepted, \(rejected) rejected, no crash")
        return (accepted, rejected)
    }

    static func sample(_ path: String, stripFirstLine: Bool = false) throws -> [UInt8] {
        let text = try String(contentsOf: GantryBinary.repositoryRoot().appendingPathComponent(path), encoding: .utf8)
        return Array((stripFirstLine ? text.split(separator: "\n", maxSplits: 1).last.map(String.init) ?? "" : text).utf8)
    }

    @Test func configLoader() throws {
        let samples = try ["config/example.yaml", "config/demo.yaml"].map { try Self.sample($0) }
        for sample in samples { #expect(throws: Never.self) { try ReleaseConfigLoader.parse(yaml: String(decoding: sample, as: UTF8.self), source: "sample") } }
        let result = Self.fuzz("config", samples: samples) { bytes in
            (try? ReleaseConfigLoader.parse(yaml: String(decoding: bytes, as: UTF8.self), source: "fuzz")) != nil
        }
        #expect(result.rejected > 0)
    }

    @Test func rawJSONProgressDecoder() {
        let samples = (0..<16).map { Array(SyntheticProgress.line($0, steps: 4).utf8) } + [Array(SyntheticProgress.logLine("hello\nworld").utf8)]
        var events = 0
        var decoder = RawJSONProgressDecoder()
        for sample in samples { decoder.feed(line: sample) { _ in events += 1 } }
        #expect(events > 0)
        let result = Self.fuzz("rawjson", samples: samples) { bytes in
            var decoder = RawJSONProgressDecoder()
            var emitted = false
            decoder.feed(line: bytes) { _ in emitted = true }
            decoder.finish { _ in emitted = true }
            return emitted
        }
        #expect(result.accepted + result.rejected == Self.iterations)
    }

    @Test func manifestAndIndexDecoders() throws {
        let index = try Self.sample("Tests/Fixtures/oci/buildkit-docs__attestation-index.json", stripFirstLine: true)
        let manifest = try Self.sample("Tests/Fixtures/oci/buildkit-docs__attestation-manifest-oci-artifact.json", stripFirstLine: true)
        #expect(throws: Never.self) { try ManifestContent.parse(Data(index), mediaType: MediaType.ociIndex) }
        #expect(throws: Never.self) { try ManifestContent.parse(Data(manifest), mediaType: MediaType.ociManifest) }
        let result = Self.fuzz("manifest/index", samples: [index, manifest]) { bytes in
            let type = bytes.count % 2 == 0 ? MediaType.ociIndex : MediaType.ociManifest
            return (try? ManifestContent.parse(Data(bytes), mediaType: type)) != nil
        }
        #expect(result.rejected > 0)
    }

    @Test func journalDecoder() throws {
        let version = try SemanticVersion.parse("1.2.3")
        let amd64 = try Platform.parse("linux/amd64")
        var journal = ReleaseJournal(
            id: try ReleaseID("app-1.2.3-20261130T000000Z"), kind: .release, image: "acme/app", version: version,
            registries: [RegistryTarget(host: "127.0.0.1:5000")], tags: ["1.2.3", "latest"], expectedPlatforms: [amd64],
            settings: ReleaseSettings(
                configPath: "/x/gantry.yaml", configDigest: "sha256:" + String(repeating: "a", count: 64), builder: .buildx, publisher: .native,
                revision: "abc", allowPartial: [], allowDowngrade: false, attestations: .keep, failFast: false))
        journal[platform: amd64] = ReleaseJournal.PlatformRecord(platform: amd64, state: .failed, error: RecordedError(kind: "build.failed", message: "boom"))
        journal.note("started")
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let sample = Array(try encoder.encode(journal))
        let decoded = try JournalStore.decode(Data(sample), path: "sample")
        #expect(decoded.id == journal.id && decoded.platforms == journal.platforms && decoded.settings == journal.settings)
        let result = Self.fuzz("journal", samples: [sample]) { bytes in
            do {
                _ = try JournalStore.decode(Data(bytes), path: "fuzz")
                return true
            } catch let error as JournalError {
                // Every refusal is a journal error naming the file and saying why.
                #expect(error.path == "fuzz" && !error.reason.isEmpty)
                return false
            } catch {
                Issue.record("not a JournalError: \(error)")
                return false
            }
        }
        #expect(result.rejected > 0)
    }
}
