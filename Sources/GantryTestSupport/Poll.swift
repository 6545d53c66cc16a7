import Foundation

/// Observes something until a condition holds and returns what satisfied it; past `deadline`
/// throws an error naming what it waited for and what it saw last. Every wait of the suite
/// on a screen, a file, a pid or a registry goes through here.
@discardableResult
public func poll<Observation>(
    _ what: String, deadline: Duration = Patience.wait, every interval: Duration = .milliseconds(25),
    observe: () async throws -> Observation, describe: (Observation) -> String = { "\($0)" },
    until satisfied: (Observation) throws -> Bool
) async throws -> Observation {
    let clock = ContinuousClock()
    let end = clock.now + deadline
    while true {
        let seen = try await observe()
        if try satisfied(seen) { return seen }
        guard clock.now < end else {
            throw TestSupportError("waited \(deadline) for \(what); last seen:\n\(describe(seen))")
        }
        try await Task.sleep(for: interval)  // the poll interval; the deadline bounds the loop
    }
}

/// Polls a condition with nothing to report but whether it holds.
public func poll(
    _ what: String, deadline: Duration = Patience.wait, every interval: Duration = .milliseconds(25),
    until satisfied: () async throws -> Bool
) async throws {
    try await poll(what, deadline: deadline, every: interval, observe: satisfied, describe: { _ in "not yet" }) { $0 }
}
