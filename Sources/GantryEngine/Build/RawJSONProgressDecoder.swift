import Foundation

/// Turns buildx `--progress rawjson` stderr into build events, line by line.
///
/// Keeps what it needs across updates: which vertexes were already reported as
/// started, finished, cached or failed, and unfinished log lines per vertex.
public struct RawJSONProgressDecoder {
    private var framer = RawJSONFramer()
    private var translator = SolveStatusTranslator()

    /// The last `ERROR: ...` line buildx printed, if any: the build's error message.
    public private(set) var errorMessage: String?

    public init() {}

    /// Decodes one stderr line; calls `emit` for each event it yields.
    public mutating func feed(line: [UInt8], _ emit: (BuildEvent.Kind) -> Void) {
        let (cutOff, completed) = framer.feed(line: line)
        if let cutOff { handle(cutOff, emit) }
        if let completed { handle(completed, emit) }
    }

    /// Ends the stream (a truncated last object becomes a message).
    public mutating func finish(_ emit: (BuildEvent.Kind) -> Void) {
        if let frame = framer.finish() { handle(frame, emit) }
        translator.flushLogs(emit)
    }

    /// The step that failed, if a vertex reported an error.
    public var failedStep: BuildStep? { translator.failedStep }

    private mutating func handle(_ frame: RawJSONFramer.Frame, _ emit: (BuildEvent.Kind) -> Void) {
        switch frame {
        case .object(let bytes):
            if let status = try? SolveStatusParser.parse(bytes) {
                translator.translate(status, emit)
            } else {
                message(String(decoding: bytes, as: UTF8.self), emit)
            }
        case .text(let text):
            message(text, emit)
        }
    }

    private mutating func message(_ text: String, _ emit: (BuildEvent.Kind) -> Void) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        if trimmed.hasPrefix("ERROR:") {
            errorMessage = String(trimmed.dropFirst(6)).trimmingCharacters(in: .whitespaces)
            emit(.log(trimmed))
        } else if trimmed.hasPrefix("WARNING:") || trimmed.hasPrefix("WARN[") {
            emit(.warning(trimmed))
        } else {
            emit(.log(trimmed))
        }
    }
}

/// Converts SolveStatus deltas into step, byte, log and warning events.
struct SolveStatusTranslator {
    private struct Reported: OptionSet {
        let rawValue: UInt8
        static let started = Reported(rawValue: 1)
        static let finished = Reported(rawValue: 2)
        static let cached = Reported(rawValue: 4)
        static let failed = Reported(rawValue: 8)
    }

    /// Per vertex digest: its step and what was already reported about it.
    private var vertexes: [String: (step: BuildStep, reported: Reported)] = [:]
    private var partialLogs: [String: [UInt8]] = [:]
    private(set) var failedStep: BuildStep?

    mutating func translate(_ status: SolveStatus, _ emit: (BuildEvent.Kind) -> Void) {
        for vertex in status.vertexes ?? [] { translate(vertex, emit) }
        for item in status.statuses ?? [] {
            guard let current = item.current else { continue }
            emit(.bytes(id: item.id, current: current, total: item.total))
        }
        for log in status.logs ?? [] {
            guard let data = Data(base64Encoded: log.data) else { continue }
            appendLog(Array(data), vertex: log.vertex ?? "", emit)
        }
        for warning in status.warnings ?? [] {
            let short = warning.short.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
            emit(.warning(short.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
    }

    /// Emits the last, unterminated line of each vertex's log.
    mutating func flushLogs(_ emit: (BuildEvent.Kind) -> Void) {
        for key in partialLogs.keys.sorted() {
            if let rest = partialLogs[key], !rest.isEmpty { emit(.log(String(decoding: rest, as: UTF8.self))) }
        }
        partialLogs.removeAll()
    }

    private mutating func translate(_ vertex: SolveStatus.Vertex, _ emit: (BuildEvent.Kind) -> Void) {
        var (step, done) = vertexes[vertex.digest] ?? (StepName.parse(vertex.name ?? vertex.digest), [])
        defer { vertexes[vertex.digest] = (step, done) }
        if let error = vertex.error, !error.isEmpty {
            guard !done.contains(.failed) else { return }
            done.insert(.failed)
            failedStep = step
            emit(.stepFailed(step, error: error))
        } else if vertex.cached == true {
            guard !done.contains(.cached) else { return }
            done.insert(.cached)
            emit(.stepCached(step))
        } else if vertex.completed != nil {
            guard !done.contains(.finished) else { return }
            done.insert(.finished)
            emit(.stepFinished(step))
        } else if vertex.started != nil {
            guard !done.contains(.started) else { return }
            done.insert(.started)
            emit(.stepStarted(step))
        }
    }

    private mutating func appendLog(_ bytes: [UInt8], vertex: String, _ emit: (BuildEvent.Kind) -> Void) {
        var pending = partialLogs.removeValue(forKey: vertex) ?? []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            pending.append(contentsOf: bytes[start..<newline])
            if pending.last == 0x0D { pending.removeLast() }
            emit(.log(String(decoding: pending, as: UTF8.self)))
            pending.removeAll(keepingCapacity: true)
            start = newline + 1
        }
        pending.append(contentsOf: bytes[start...])
        if !pending.isEmpty { partialLogs[vertex] = pending }
    }
}

/// Reads step numbers out of buildkit vertex names: `[stage-0  3/10] RUN make`,
/// `[app build 2/4] COPY . .` (bake), `[internal] load .dockerignore`.
enum StepName {
    static func parse(_ name: String) -> BuildStep {
        guard name.hasPrefix("["), let close = name.firstIndex(of: "]") else { return BuildStep(name: name) }
        let inside = name[name.index(after: name.startIndex)..<close]
        let rest = name[name.index(after: close)...].trimmingCharacters(in: .whitespaces)
        guard let last = inside.split(separator: " ").last else { return BuildStep(name: name) }
        let parts = last.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let total = Int(parts[1]) else { return BuildStep(name: name) }
        return BuildStep(index: index, total: total, name: rest)
    }
}
