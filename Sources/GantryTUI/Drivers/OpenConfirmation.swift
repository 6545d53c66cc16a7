import GantryEngine

/// A flow's confirmation question, open until the console's keys answer it (the release and
/// rollback consoles both ask through it). Answer it exactly once.
struct OpenConfirmation: Sendable {
    let request: ConfirmationRequest
    let continuation: CheckedContinuation<ConfirmationAnswer, Never>

    /// Enter in the dialog: a go-ahead for exactly the set the dialog showed.
    func confirm(typedVersion: String?) {
        continuation.resume(returning: .confirmed(Confirmation(confirming: request.pending, typedVersion: typedVersion)))
    }

    /// Esc in the dialog.
    func decline() { continuation.resume(returning: .declined) }

    /// The console closed with the question open: left undecided.
    func leave() { continuation.resume(returning: .left) }
}
