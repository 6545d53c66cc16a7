/// "Publish digests": the version and the paths typed on one line; the driver reads them
/// (and says what is wrong in the console) before the publish flow takes over.
struct PublishDigestsController: ScreenController {
    private var typed = ""

    func bindings(_ state: ReleaseState) -> [KeyBinding<Self>] {
        [
            KeyBinding([.enter], help: "Publish the digests or metadata files under the typed version", footer: "publish") { c, x in
                let words = c.typed.split(separator: " ").map(String.init)
                guard words.count >= 2 else {
                    x.status = "Type the version, then one or more paths."
                    return []
                }
                x.navigation.closeOverlay()
                return [.publishDigests(version: words[0], paths: Array(words.dropFirst()))]
            },
            KeyBinding([.escape], help: "Close: nothing is published", footer: "cancel") { _, x in
                x.navigation.closeOverlay()
                return []
            },
        ]
    }

    mutating func handleText(_ key: Key, _ context: inout ConsoleContext) -> [ConsoleIntent]? {
        typed.edit(with: key) ? [] : nil
    }

    mutating func reset() { self = PublishDigestsController() }

    func render(into grid: inout CellGrid, _ rect: Rect, _ state: ReleaseState, now: Double, theme: Theme) {
        PublishDigestsDialog(typed: typed, theme: theme).render(into: &grid, rect)
    }
}
