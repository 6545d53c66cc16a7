/// Turns buildx `--progress plain` output (`#N name`, `#N DONE 0.1s`, `#N CACHED`,
/// `#N ERROR: ...`, `#N 1.234 log line`) into build events.
public struct PlainProgressDecoder {
    private var steps: [Int: BuildStep] = [:]
    /// The last top-level `ERROR: ...` line, if any.
    public private(set) var errorMessage: String?
    public private(set) var failedStep: BuildStep?

    public init() {}

    public mutating func feed(line: String, _ emit: (BuildEvent.Kind) -> Void) {
        guard line.hasPrefix("#"), let space = line.firstIndex(of: " "),
            let number = Int(line[line.index(after: line.startIndex)..<space])
        else {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return }
            if trimmed.hasPrefix("ERROR:") { errorMessage = String(trimmed.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
            emit(.log(trimmed))
            return
        }
        let rest = String(line[line.index(after: space)...])
        guard let step = steps[number] else {
            let step = StepName.parse(rest)
            steps[number] = step
            emit(.stepStarted(step))
            return
        }
        if rest == "..." {
            return  // the step's output continues later, after other steps
        } else if rest == "CACHED" {
            emit(.stepCached(step))
        } else if rest.hasPrefix("DONE ") || rest == "DONE" {
            emit(.stepFinished(step))
        } else if rest.hasPrefix("ERROR: ") || rest == "CANCELED" {
            failedStep = step
            emit(.stepFailed(step, error: rest.hasPrefix("ERROR: ") ? String(rest.dropFirst(7)) : "canceled"))
        } else if let timed = Self.timedLog(rest) {
            emit(.log(timed))
        } else {
            emit(.log(rest))
        }
    }

    /// `1.792 npm warn ...` → `npm warn ...`: a log line after its seconds since the step began.
    private static func timedLog(_ rest: String) -> String? {
        guard let space = rest.firstIndex(of: " "), rest[..<space].contains("."), Double(rest[..<space]) != nil else { return nil }
        return String(rest[rest.index(after: space)...])
    }
}
