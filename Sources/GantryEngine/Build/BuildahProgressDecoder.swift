/// Turns `buildah build` output (`STEP 2/5: RUN make`, `--> Using cache ...`,
/// `COMMIT ...`, `Error: ...`) into build events: each STEP line starts a step and
/// finishes the one before.
public struct BuildahProgressDecoder {
    private var current: BuildStep?
    private var currentCached = false
    public private(set) var errorMessage: String?

    public init() {}

    /// The step running when the build stopped.
    public var failedStep: BuildStep? { current }

    public mutating func feed(line: String, _ emit: (BuildEvent.Kind) -> Void) {
        if line.hasPrefix("STEP "), let colon = line.firstIndex(of: ":") {
            finishCurrent(emit)
            let numbers = line[line.index(line.startIndex, offsetBy: 5)..<colon].split(separator: "/")
            let name = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let step = numbers.count == 2
                ? BuildStep(index: Int(numbers[0]), total: Int(numbers[1]), name: name)
                : BuildStep(name: name)
            current = step
            emit(.stepStarted(step))
        } else if line.hasPrefix("--> Using cache") {
            if let current, !currentCached {
                currentCached = true
                emit(.stepCached(current))
            }
        } else if line.hasPrefix("COMMIT") {
            finishCurrent(emit)
            emit(.log(line))
        } else if line.hasPrefix("Error: ") || line.hasPrefix("error ") {
            errorMessage = line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
            if let current { emit(.stepFailed(current, error: errorMessage ?? line)) }
            emit(.log(line))
        } else if !line.isEmpty {
            emit(.log(line))
        }
    }

    /// Ends a successful build: the last step is done (its COMMIT may arrive on the
    /// other stream, out of order with the STEP lines).
    public mutating func finish(_ emit: (BuildEvent.Kind) -> Void) {
        finishCurrent(emit)
    }

    private mutating func finishCurrent(_ emit: (BuildEvent.Kind) -> Void) {
        if let step = current, !currentCached { emit(.stepFinished(step)) }
        current = nil
        currentCached = false
    }
}
