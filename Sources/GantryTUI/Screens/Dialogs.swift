import GantryEngine

/// Draws a cleared, boxed dialog of up to `width`×`height` centred in `rect`; returns its inside.
func drawDialog(into grid: inout CellGrid, _ rect: Rect, width: Int, height: Int, title: String, theme: Theme) -> Rect {
    let frame = rect.centered(width: width, height: height)
    grid.fill(frame)
    grid.box(frame, title: title, style: theme.style(.accent, bold: true), titleStyle: theme.heading)
    return frame.inset(1).insetHorizontally(1)
}

extension Rect {
    /// The rectangle narrowed by `n` columns on the left and right.
    func insetHorizontally(_ n: Int) -> Rect { Rect(x: x + n, y: y, width: width - 2 * n, height: height) }
}

/// The confirmation dialog: what publishing will do (moving tags needs the version typed),
/// or, for a rollback, where each tag goes back to.
public struct ConfirmDialog: Sendable {
    public var model: PendingTagsViewModel
    public var typed: String
    public var error: String?
    /// Summary lines scrolled past, when they do not all fit.
    public var scroll: Int
    public var theme: Theme

    public init(model: PendingTagsViewModel, typed: String, error: String?, scroll: Int = 0, theme: Theme) {
        self.model = model
        self.typed = typed
        self.error = error
        self.scroll = scroll
        self.theme = theme
    }

    /// The widest the dialog gets; longer summary lines wrap inside it.
    static let maxWidth = 76

    /// The summary lines, `width` columns at most: per registry counts, every tag written
    /// (new, then moved: the confirmation shows exactly the set it writes), every warning,
    /// and the notes on the whole set.
    public func summary(width: Int) -> [StyledLine] {
        if model.purpose == .rollback { return rollbackSummary }
        var lines: [StyledLine] = []
        for registry in model.rows.map(\.registry).uniqued() {
            let rows = model.rows.filter { $0.registry == registry }
            let n = { (c: PendingTagRow.Change) in rows.filter { $0.change == c }.count }
            lines.append(StyledLine([TextSpan(registry + ": ", theme.heading), TextSpan("\(n(.new)) new, ", theme.style(.success)),
                                     TextSpan("\(n(.move)) move, ", theme.style(.warning)), TextSpan("\(n(.unchanged)) unchanged", theme.style(.muted))]
                                    + (n(.held) > 0 ? [TextSpan(", \(n(.held)) held", theme.style(.warning))] : [])))
        }
        let wrapped = { (text: String, style: CellStyle) in TextFit.wrap(text, width: width).map { StyledLine($0, style) } }
        // A family's tags are listed per image: `latest` of the app and of the worker are two tags.
        for image in model.rows.map(\.image).uniqued() {
            let of = image.map { " \($0)" } ?? ""
            let created = tags(.new, of: image), moved = tags(.move, of: image)
            if !created.isEmpty { lines += wrapped("New\(of): " + created.joined(separator: ", "), theme.style(.success)) }
            if !moved.isEmpty { lines += wrapped("Moves\(of): " + moved.joined(separator: ", "), theme.style(.warning, bold: true)) }
        }
        for row in model.rows {
            for w in row.warnings { lines += wrapped("⚠ \(row.registry) \(row.imageTag): \(w)", theme.style(.danger, bold: true)) }
        }
        // What the flow says of the whole set (a dirty work tree).
        for note in model.notes { lines += wrapped("⚠ \(note)", theme.style(.warning)) }
        return lines
    }

    /// The tags of `image`'s rows with `change`, each once, in the pending set's order.
    private func tags(_ change: PendingTagRow.Change, of image: String?) -> [String] {
        model.rows.filter { $0.change == change && $0.image == image }.map(\.tag).uniqued()
    }

    /// Per tag: where it points now and the previous digest it goes back to (held ones with
    /// why), then the flow's notes (the created tags it keeps).
    private var rollbackSummary: [StyledLine] {
        var lines: [StyledLine] = []
        for row in model.rows {
            let head = TextSpan("\(row.change.symbol) \(row.registry) \(row.imageTag): ", theme.style(row.change.role, bold: row.change == .move))
            switch row.change {
            case .move: lines.append(StyledLine([head, TextSpan(row.currentText + " → " + row.newText)]))
            case .unchanged: lines.append(StyledLine([head, TextSpan("already at " + row.newText, theme.style(.muted))]))
            case .held, .new:
                lines.append(StyledLine([head, TextSpan("left alone", theme.style(.warning))]))
                lines += row.warnings.flatMap { TextFit.wrap("⚠ \($0)", width: 68) }.map { StyledLine("    " + $0, theme.style(.warning)) }
            }
        }
        lines += model.notes.flatMap { TextFit.wrap($0, width: 72) }.map { StyledLine($0, theme.style(.muted)) }
        return lines
    }

    private var hint: String {
        switch model.purpose {
        case .publish: "Enter publish · Esc cancel: nothing is published"
        case .rollback: "Enter roll back · Esc cancel: nothing moves"
        case .tag: "Enter move the tags · Esc cancel: nothing moves"
        }
    }

    private var title: String {
        switch model.purpose {
        case .publish: "Publish \(model.version)?"
        // A tag move (`gantry tag`, a repair) has no version of its own.
        case .rollback: model.version.isEmpty ? "Roll back the tag move?" : "Roll back \(model.version)?"
        case .tag: "Move these tags?"
        }
    }

    /// Below the summary: a blank line, the typed-version prompt and field, an error line, the hint.
    private var footer: Int { model.requiresTypedVersion ? 5 : 3 }

    /// The dialog's frame in `rect`, its summary lines, and how many of them fit.
    private func layout(_ rect: Rect) -> (width: Int, height: Int, body: [StyledLine], room: Int) {
        let natural = summary(width: Int.max).map(\.width).max() ?? 0
        let width = min(rect.width, max(DisplayWidth.of(hint) + 4, min(Self.maxWidth, natural + 4)))
        let body = summary(width: width - 4)
        let height = min(rect.height, body.count + footer + 2)
        return (width, height, body, max(0, height - 2 - footer))
    }

    /// The largest useful `scroll` in `rect`: the last line then shows at the bottom.
    public func scrollEnd(in rect: Rect) -> Int {
        let (_, _, body, room) = layout(rect)
        return body.count > room ? body.count - max(1, room - 1) : 0
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        let (width, height, body, room) = layout(rect)
        let inner = drawDialog(into: &grid, rect, width: width, height: height, title: title, theme: theme)
        var shown = Array(body.prefix(room))
        if body.count > room, room > 1 {
            // What does not fit scrolls, and the last line says how much is hidden where.
            let top = clamp(scroll, 0, scrollEnd(in: rect))
            let below = body.count - top - (room - 1)
            shown = Array(body[top..<top + room - 1])
                + [StyledLine(below > 0 ? "+\(below) more lines, ↓" : "\(top) more lines above, ↑", theme.style(.accent, bold: true))]
        }
        for (i, line) in shown.enumerated() {
            grid.put(line, x: inner.x, y: inner.y + i, limit: inner.width)
        }
        var y = inner.maxY - footer + 1
        if model.requiresTypedVersion {
            grid.put("Existing tags move. Type \(model.version) to confirm:", x: inner.x, y: y, limit: inner.width)
            let field = TextFit.truncateLeading(typed + "▏", to: inner.width)
            grid.put(TextFit.pad(field, to: inner.width), x: inner.x, y: y + 1, style: CellStyle(underline: true), limit: inner.width)
            y += 2
        }
        if let error { grid.put(error, x: inner.x, y: y, style: theme.style(.danger, bold: true), limit: inner.width) }
        grid.put(hint, x: inner.x, y: inner.maxY - 1, style: theme.style(.muted), limit: inner.width)
    }
}

/// The dialog `q` opens while builds run.
public struct QuitPrompt: Sendable {
    public var running: Int
    public var theme: Theme

    public init(running: Int, theme: Theme) {
        self.running = running
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        let inner = drawDialog(into: &grid, rect, width: 46, height: 6, title: "Quit?", theme: theme)
        grid.put("\(running) build(s) still running.", x: inner.x, y: inner.y, style: theme.style(.warning, bold: true), limit: inner.width)
        grid.put("Quit and cancel them? Nothing is published.", x: inner.x, y: inner.y + 1, limit: inner.width)
        grid.put("Enter quit · Esc keep building", x: inner.x, y: inner.maxY - 1, style: theme.style(.muted), limit: inner.width)
    }
}

/// The dialog `P` opens: publishing without the platforms that did not build, named.
public struct PublishWithoutPrompt: Sendable {
    public var platforms: [Platform]
    public var theme: Theme

    public init(platforms: [Platform], theme: Theme) {
        self.platforms = platforms
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        let names = platforms.map(\.description).joined(separator: ", ")
        let inner = drawDialog(into: &grid, rect, width: 58, height: 7, title: "Publish without \(names)?", theme: theme)
        grid.put("The index and every tag will lack \(names).", x: inner.x, y: inner.y, style: theme.style(.warning, bold: true), limit: inner.width)
        grid.put("As --allow-partial \(platforms.map(\.description).joined(separator: " --allow-partial ")); journaled.", x: inner.x, y: inner.y + 1, limit: inner.width)
        grid.put("The pending tags are shown before anything moves.", x: inner.x, y: inner.y + 2, limit: inner.width)
        grid.put("Enter publish without · Esc keep", x: inner.x, y: inner.maxY - 1, style: theme.style(.muted), limit: inner.width)
    }
}

/// The dialog a new release opens while the image has a half-published one: finish that
/// first (Recover), or start this version anyway.
public struct HalfPublishedPrompt: Sendable {
    public var warning: String
    public var version: String
    public var theme: Theme

    public init(warning: String, version: String, theme: Theme) {
        self.warning = warning
        self.version = version
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        let width = min(60, rect.width)
        let lines = TextFit.wrap(warning + ".", width: width - 4) + ["Its registries disagree until it is finished."]
        let inner = drawDialog(into: &grid, rect, width: width, height: lines.count + 4, title: "Start \(version)?", theme: theme)
        for (i, line) in lines.enumerated() {
            grid.put(line, x: inner.x, y: inner.y + i, style: i + 1 < lines.count ? theme.style(.warning, bold: true) : CellStyle(), limit: inner.width)
        }
        grid.put("Enter start \(version) anyway · r Recover · Esc back", x: inner.x, y: inner.maxY - 1, style: theme.style(.muted), limit: inner.width)
    }
}
