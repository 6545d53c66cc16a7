/// Keys of the four release views (matrix, digests, pending tags, publish), defined once.
enum ReleaseViewBindings {
    /// ←/→ step through the views in a ring; `L` opens the command log beside them.
    static func views<C>() -> [KeyBinding<C>] {
        [
            KeyBinding([.left, .char("h")], help: "Previous view (release, digests, tags, publish)") { _, x in step(-1, &x) },
            KeyBinding([.right, .char("l")], help: "Next view") { _, x in step(1, &x) },
            SharedBindings.commandLog(),
        ]
    }

    private static func step(_ delta: Int, _ context: inout ConsoleContext) -> [ConsoleIntent] {
        let views = ScreenID.releaseViews
        let i = views.firstIndex(of: context.navigation.screen) ?? 0
        context.navigation.switchView(to: views[(i + delta + views.count) % views.count])
        return []
    }

    static func digests<C>() -> KeyBinding<C> { show(.digests, key: "d", help: "Show the digests", footer: "digests") }
    static func pendingTags<C>() -> KeyBinding<C> { show(.pendingTags, key: "t", help: "Show the pending tags", footer: "tags") }
    static func matrix<C>() -> KeyBinding<C> { show(.release, key: "r", help: "Show the release matrix", footer: "release") }

    private static func show<C>(_ target: ScreenID, key: Character, help: String, footer: String) -> KeyBinding<C> {
        KeyBinding([.char(key)], help: help, footer: footer) { _, x in
            x.navigation.open(target)
            return []
        }
    }

    /// `p`: the confirmation, when the release flow allows publishing.
    static func publish<C>(_ state: ReleaseState) -> KeyBinding<C> {
        KeyBinding([.char("p")], help: "Publish the pending tags (asks to confirm)", footer: "publish",
                   disabledReason: state.availability.publish.reason) { _, x in
            x.navigation.open(.confirm)
            return []
        }
    }

    /// `P`: publishing without the failed or cancelled platforms, after a dialog naming them.
    static func publishWithout<C>(_ state: ReleaseState) -> KeyBinding<C> {
        KeyBinding([.char("P")], help: "Publish without the failed or cancelled platforms (asks to confirm)", footer: "without",
                   disabledReason: state.availability.publishWithout.reason) { _, x in
            x.navigation.open(.publishWithoutPrompt)
            return []
        }
    }
}
