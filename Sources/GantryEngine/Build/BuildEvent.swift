/// One step of a build (a Dockerfile instruction, or an internal buildkit vertex).
public struct BuildStep: Sendable, Codable, Equatable, Hashable {
    /// 1-based position among the stage's instructions (`[stage 3/7]`), when known.
    public var index: Int?
    public var total: Int?
    public var name: String

    public init(index: Int? = nil, total: Int? = nil, name: String) {
        self.index = index
        self.total = total
        self.name = name
    }

    /// `3/7 RUN make` or just the name.
    public var label: String {
        if let index, let total { return "\(index)/\(total) \(name)" }
        return name
    }
}

/// Something that happened to one platform's build. `--json` prints one per line:
/// `{"event":"stepStarted","platform":"linux/arm64","step":{"index":2,"total":5,"name":"RUN make"}}`.
public struct BuildEvent: Sendable, Codable, Equatable {
    public var platform: Platform
    public var kind: Kind

    public init(_ platform: Platform, _ kind: Kind) {
        self.platform = platform
        self.kind = kind
    }

    /// What happened.
    public enum Kind: Sendable, Equatable {
        /// Waiting for a free build slot.
        case queued
        /// The build started with `driver` (attempt 1, or more after retries).
        case started(driver: String, attempt: Int)
        case stepStarted(BuildStep)
        case stepFinished(BuildStep)
        case stepCached(BuildStep)
        case stepFailed(BuildStep, error: String)
        /// Byte progress of a transfer (`id` names it: a layer being pushed, a context upload).
        case bytes(id: String, current: Int64, total: Int64?)
        case log(String)
        case warning(String)
        /// The image is in `repository` (`host/path`) under `digest`.
        case pushed(repository: String, digest: String)
        case finished(BuildResult)
        /// Built by an earlier run of this release and still in every registry: not rebuilt.
        case reused(BuildResult)
        case failed(BuildFailure)
        case cancelled
    }

    /// The event's name in JSON (`stepStarted`, `finished`, ...).
    public var name: String {
        switch kind {
        case .queued: "queued"
        case .started: "started"
        case .stepStarted: "stepStarted"
        case .stepFinished: "stepFinished"
        case .stepCached: "stepCached"
        case .stepFailed: "stepFailed"
        case .bytes: "bytes"
        case .log: "log"
        case .warning: "warning"
        case .pushed: "pushed"
        case .finished: "finished"
        case .reused: "reused"
        case .failed: "failed"
        case .cancelled: "cancelled"
        }
    }

    /// Whether this event ends the platform's build.
    public var isTerminal: Bool {
        switch kind {
        case .finished, .reused, .failed, .cancelled: true
        default: false
        }
    }

    enum CodingKeys: String, CodingKey {
        case event, platform, driver, attempt, step, error, id, current, total, line, message, repository, digest, result, failure
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .event)
        try c.encode(platform, forKey: .platform)
        switch kind {
        case .queued, .cancelled: break
        case .started(let driver, let attempt):
            try c.encode(driver, forKey: .driver)
            try c.encode(attempt, forKey: .attempt)
        case .stepStarted(let step), .stepFinished(let step), .stepCached(let step):
            try c.encode(step, forKey: .step)
        case .stepFailed(let step, let error):
            try c.encode(step, forKey: .step)
            try c.encode(error, forKey: .error)
        case .bytes(let id, let current, let total):
            try c.encode(id, forKey: .id)
            try c.encode(current, forKey: .current)
            try c.encodeIfPresent(total, forKey: .total)
        case .log(let line): try c.encode(line, forKey: .line)
        case .warning(let message): try c.encode(message, forKey: .message)
        case .pushed(let repository, let digest):
            try c.encode(repository, forKey: .repository)
            try c.encode(digest, forKey: .digest)
        case .finished(let result), .reused(let result): try c.encode(result, forKey: .result)
        case .failed(let failure): try c.encode(failure, forKey: .failure)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        platform = try c.decode(Platform.self, forKey: .platform)
        let event = try c.decode(String.self, forKey: .event)
        switch event {
        case "queued": kind = .queued
        case "cancelled": kind = .cancelled
        case "started": kind = .started(driver: try c.decode(String.self, forKey: .driver), attempt: try c.decode(Int.self, forKey: .attempt))
        case "stepStarted": kind = .stepStarted(try c.decode(BuildStep.self, forKey: .step))
        case "stepFinished": kind = .stepFinished(try c.decode(BuildStep.self, forKey: .step))
        case "stepCached": kind = .stepCached(try c.decode(BuildStep.self, forKey: .step))
        case "stepFailed": kind = .stepFailed(try c.decode(BuildStep.self, forKey: .step), error: try c.decode(String.self, forKey: .error))
        case "bytes":
            kind = .bytes(id: try c.decode(String.self, forKey: .id), current: try c.decode(Int64.self, forKey: .current), total: try c.decodeIfPresent(Int64.self, forKey: .total))
        case "log": kind = .log(try c.decode(String.self, forKey: .line))
        case "warning": kind = .warning(try c.decode(String.self, forKey: .message))
        case "pushed": kind = .pushed(repository: try c.decode(String.self, forKey: .repository), digest: try c.decode(String.self, forKey: .digest))
        case "finished": kind = .finished(try c.decode(BuildResult.self, forKey: .result))
        case "reused": kind = .reused(try c.decode(BuildResult.self, forKey: .result))
        case "failed": kind = .failed(try c.decode(BuildFailure.self, forKey: .failure))
        default:
            throw DecodingError.dataCorruptedError(forKey: .event, in: c, debugDescription: "unknown build event \"\(event)\"")
        }
    }
}
